using CareTwin.Journey.Family;
using CareTwin.Journey.Serialization;
using static CareTwin.Journey.Tests.Model.ModelFixtures;

namespace CareTwin.Journey.Tests.Model;

public class FamilyAccessRulesTests
{
    private static readonly FamilyAccess Nobody = new();

    private static (FamilyAccess Access, FamilyInvite Invite) Issued(TimeSpan validFor, FamilyAccess? access = null) =>
        FamilyAccessRules.Issue(access ?? Nobody, "coord-1", validFor, Start);

    private static FamilyAccess Joined(out FamilyMember member)
    {
        var (access, invite) = Issued(TimeSpan.FromDays(7));
        var redeemed = FamilyAccessRules.Redeem(access, invite.Id, "family-1", "Sarah", Start.AddHours(1));
        member = redeemed.Member!;
        return redeemed.Access;
    }

    [Fact]
    public void An_invite_lasts_at_most_30_days_and_is_open_until_it_expires()
    {
        var (access, invite) = Issued(TimeSpan.FromDays(30));

        Assert.Equal(("invite-1", Start.AddDays(30)), (invite.Id, invite.ExpiresAt));
        Assert.Equal(invite, Assert.Single(access.Invites));
        Assert.Equal(FamilyInviteStatus.Open, FamilyAccessRules.StatusOf(invite, Start.AddDays(30).AddTicks(-1)));
        Assert.Equal(FamilyInviteStatus.Expired, FamilyAccessRules.StatusOf(invite, Start.AddDays(30)));
        Assert.Equal("invite-2", Issued(TimeSpan.FromDays(1), access).Invite.Id);
        Assert.Throws<ArgumentOutOfRangeException>(() => Issued(TimeSpan.FromDays(30).Add(TimeSpan.FromTicks(1))));
        Assert.Throws<ArgumentOutOfRangeException>(() => Issued(TimeSpan.Zero));
    }

    [Fact]
    public void Redeeming_an_open_invite_makes_an_active_member_and_uses_the_invite_up()
    {
        var (access, invite) = Issued(TimeSpan.FromDays(7));
        var at = Start.AddDays(7).AddTicks(-1);

        var redeemed = FamilyAccessRules.Redeem(access, invite.Id, "family-1", "Sarah", at);

        Assert.Null(redeemed.Refusal);
        Assert.Equal(new FamilyMember("family-1", "Sarah", invite.Id, at), redeemed.Member);
        Assert.True(FamilyAccessRules.IsActive(redeemed.Member!));
        Assert.Equal(redeemed.Member, FamilyAccessRules.FindMember(redeemed.Access, "family-1"));
        Assert.Equal(FamilyInviteStatus.Redeemed, FamilyAccessRules.StatusOf(redeemed.Access.Invites.Single(), at.AddDays(30)));
        Assert.Empty(access.Members);
    }

    [Fact]
    public void A_used_invite_says_already_used_and_adds_nobody()
    {
        var access = Joined(out _);

        var again = FamilyAccessRules.Redeem(access, "invite-1", "family-2", "Someone else", Start.AddHours(2));

        Assert.Equal(InviteRefusal.AlreadyUsed, again.Refusal);
        Assert.Null(again.Member);
        Assert.Same(access, again.Access);
    }

    [Fact]
    public void An_expired_invite_cannot_be_redeemed_from_the_moment_it_expires()
    {
        var (access, invite) = Issued(TimeSpan.FromDays(2));

        var late = FamilyAccessRules.Redeem(access, invite.Id, "family-1", "Sarah", invite.ExpiresAt);

        Assert.Equal(InviteRefusal.Expired, late.Refusal);
        Assert.Empty(late.Access.Members);
    }

    [Fact]
    public void A_revoked_invite_is_refused_and_an_unknown_one_says_so()
    {
        var (access, invite) = Issued(TimeSpan.FromDays(7));
        Assert.True(FamilyAccessRules.TryRevoke(access, invite.Id, Start.AddHours(1), out var revoked));

        Assert.Equal(FamilyInviteStatus.Revoked, FamilyAccessRules.StatusOf(revoked.Invites.Single(), Start.AddHours(2)));
        Assert.Equal(InviteRefusal.Revoked, FamilyAccessRules.Redeem(revoked, invite.Id, "family-1", "Sarah", Start.AddHours(2)).Refusal);
        Assert.Equal(InviteRefusal.UnknownCode, FamilyAccessRules.Redeem(revoked, "invite-9", "family-1", "Sarah", Start.AddHours(2)).Refusal);
        Assert.False(FamilyAccessRules.TryRevoke(revoked, invite.Id, Start.AddHours(3), out var twice));
        Assert.Same(revoked, twice);
        Assert.False(FamilyAccessRules.TryRevoke(revoked, "invite-9", Start.AddHours(3), out _));
    }

    [Fact]
    public void A_used_invite_cannot_be_revoked_but_an_expired_unused_one_can()
    {
        var access = Joined(out _);
        Assert.False(FamilyAccessRules.TryRevoke(access, "invite-1", Start.AddHours(2), out var unchanged));
        Assert.Same(access, unchanged);

        var (withExpired, expired) = FamilyAccessRules.Issue(access, "coord-1", TimeSpan.FromDays(1), Start);
        Assert.True(FamilyAccessRules.TryRevoke(withExpired, expired.Id, Start.AddDays(3), out var revoked));
        Assert.Equal(FamilyInviteStatus.Revoked, FamilyAccessRules.StatusOf(revoked.Invites[1], Start.AddDays(3)));
    }

    [Fact]
    public void Removing_a_member_ends_the_membership_but_keeps_who_they_were_and_who_removed_them()
    {
        var access = Joined(out var member);

        Assert.True(FamilyAccessRules.TryRemoveMember(access, member.Id, "coord-2", Start.AddDays(1), out var removed));

        var after = FamilyAccessRules.FindMember(removed, member.Id)!;
        Assert.False(FamilyAccessRules.IsActive(after));
        Assert.Equal(("Sarah", Start.AddDays(1), "coord-2"), (after.DisplayName, after.RemovedAt!.Value, after.RemovedBy));
        Assert.False(FamilyAccessRules.TryRemoveMember(removed, member.Id, "coord-1", Start.AddDays(2), out var again));
        Assert.Same(removed, again);
        Assert.False(FamilyAccessRules.TryRemoveMember(access, "family-9", "coord-1", Start.AddDays(2), out _));
        Assert.Null(FamilyAccessRules.FindMember(access, "family-9"));
    }

    [Fact]
    public void An_active_member_links_a_lasting_sign_in_which_removal_takes_away()
    {
        var access = Joined(out var member);

        Assert.True(FamilyAccessRules.TryLinkSignIn(access, member.Id, "link-1", Start.AddHours(1), out var linked));
        Assert.Equal(("link-1", Start.AddHours(1)), (FamilyAccessRules.FindMember(linked, member.Id)!.SignInLink, FamilyAccessRules.FindMember(linked, member.Id)!.SignInLinkedAt!.Value));
        Assert.Equal(member.Id, FamilyAccessRules.FindLinkedMember(linked, "link-1")!.Id);
        Assert.Null(FamilyAccessRules.FindLinkedMember(linked, "link-2"));
        Assert.False(FamilyAccessRules.TryLinkSignIn(access, "family-9", "link-1", Start, out _));
        Assert.False(FamilyAccessRules.TryLinkSignIn(access, member.Id, " ", Start, out _));

        Assert.True(FamilyAccessRules.TryRemoveMember(linked, member.Id, "coord-1", Start.AddDays(1), out var removed));
        Assert.Null(FamilyAccessRules.FindMember(removed, member.Id)!.SignInLink);
        Assert.Null(FamilyAccessRules.FindLinkedMember(removed, "link-1"));
        Assert.False(FamilyAccessRules.TryLinkSignIn(removed, member.Id, "link-1", Start.AddDays(2), out _));
    }

    [Fact]
    public void The_young_persons_agreement_and_its_withdrawal_record_who_and_when()
    {
        var agreed = FamilyAccessRules.RecordYoungPersonConsent(Nobody, true, "coord-1", Start);
        var withdrawn = FamilyAccessRules.RecordYoungPersonConsent(agreed, false, "coord-2", Start.AddDays(1));

        Assert.Equal((true, "coord-1", Start), (agreed.YoungPersonConsent, agreed.ConsentRecordedBy, agreed.ConsentRecordedAt!.Value));
        Assert.Equal((false, "coord-2", Start.AddDays(1)), (withdrawn.YoungPersonConsent, withdrawn.ConsentRecordedBy, withdrawn.ConsentRecordedAt!.Value));
    }

    [Fact]
    public void Family_access_already_stored_reads_back_unchanged()
    {
        // Written by the grain's state class before the rules moved into the model: the rows databases hold.
        var stored = """
            {"invites":[{"id":"invite-1","issuedBy":"coord-1","issuedAt":"2025-03-01T09:00:00+00:00","expiresAt":"2025-03-08T09:00:00+00:00","redeemedAt":"2025-03-01T11:00:00+00:00"},
            {"id":"invite-2","issuedBy":"coord-1","issuedAt":"2025-03-01T09:00:00+00:00","expiresAt":"2025-03-03T09:00:00+00:00","revokedAt":"2025-03-01T10:00:00+00:00"},
            {"id":"invite-3","issuedBy":"coord-2","issuedAt":"2025-03-01T09:00:00+00:00","expiresAt":"2025-03-31T09:00:00+00:00"}],
            "members":[{"id":"family-1","displayName":"Sarah","inviteId":"invite-1","joinedAt":"2025-03-01T11:00:00+00:00","removedAt":"2025-03-02T09:00:00+00:00","removedBy":"coord-1"},
            {"id":"family-2","displayName":"Tom","inviteId":"invite-4","joinedAt":"2025-03-01T12:00:00+00:00"}],
            "youngPersonConsent":true,"consentRecordedBy":"coord-1","consentRecordedAt":"2025-03-02T09:00:00+00:00"}
            """.ReplaceLineEndings("");

        var access = JourneyJson.Deserialize<FamilyAccess>(stored);

        Assert.Equal(stored, JourneyJson.Serialize(access));
        var at = new DateTimeOffset(2025, 3, 2, 9, 0, 0, TimeSpan.Zero);
        Assert.Equal([FamilyInviteStatus.Redeemed, FamilyInviteStatus.Revoked, FamilyInviteStatus.Open], access.Invites.Select(i => FamilyAccessRules.StatusOf(i, at)));
        Assert.Equal([false, true], access.Members.Select(FamilyAccessRules.IsActive));
        Assert.Equal("""{"invites":[],"members":[],"youngPersonConsent":false}""", JourneyJson.Serialize(new FamilyAccess()));
    }
}
