using CareTwin.Grains.Access;
using CareTwin.Grains.Tests.Twins;
using Microsoft.Extensions.Options;
using static CareTwin.Journey.Tests.Model.ModelFixtures;

namespace CareTwin.Grains.Tests.Access;

public sealed class FamilyAccessTests
{
    [Fact]
    public async Task An_invite_joins_one_family_member_once_and_the_code_is_never_stored()
    {
        await using var host = await TwinHost.StartAsync();
        var family = host.Grains.GetGrain<IFamilyAccessGrain>("child-1");
        var invite = await family.IssueInvite("coord-1", TimeSpan.FromDays(7));
        Assert.True(InviteCode.LooksValid(invite.Code));

        var joined = await host.Grains.GetGrain<IInviteCodeGrain>(InviteCode.Hash(invite.Code.ToLowerInvariant().Replace("-", " "))).Redeem("Sarah");
        var again = await host.Grains.GetGrain<IInviteCodeGrain>(InviteCode.Hash(invite.Code)).Redeem("Someone else");

        Assert.NotNull(joined.Membership);
        Assert.True(joined.Membership.Active);
        Assert.Equal(RedeemFailure.AlreadyUsed, again.Failure);
        Assert.Equal(joined.Membership, await family.GetMembership(joined.Membership.MemberId));
        var stored = await File.ReadAllBytesAsync(host.DatabasePath);
        Assert.DoesNotContain(invite.Code, System.Text.Encoding.UTF8.GetString(stored));
    }

    [Fact]
    public async Task An_expired_or_revoked_invite_is_refused_and_an_unknown_code_says_so()
    {
        await using var host = await TwinHost.StartAsync();
        var family = host.Grains.GetGrain<IFamilyAccessGrain>("child-1");
        var expiring = await family.IssueInvite("coord-1", TimeSpan.FromDays(2));
        var revoked = await family.IssueInvite("coord-1", TimeSpan.FromDays(7));
        Assert.True(await family.RevokeInvite(revoked.InviteId, "coord-1"));

        host.Clock.Advance(TimeSpan.FromDays(3));

        Assert.Equal(RedeemFailure.Expired, (await host.Grains.GetGrain<IInviteCodeGrain>(InviteCode.Hash(expiring.Code)).Redeem("Sarah")).Failure);
        Assert.Equal(RedeemFailure.Revoked, (await host.Grains.GetGrain<IInviteCodeGrain>(InviteCode.Hash(revoked.Code)).Redeem("Sarah")).Failure);
        Assert.Equal(RedeemFailure.UnknownCode, (await host.Grains.GetGrain<IInviteCodeGrain>(InviteCode.Hash("AAAA-BBBB-CCCC")).Redeem("Sarah")).Failure);
        var overview = await family.GetOverview();
        Assert.Equal([InviteStatus.Expired, InviteStatus.Revoked], overview.Invites.Select(i => i.Status));
    }

    [Fact]
    public async Task A_removed_member_loses_access_on_the_next_request_and_every_decision_is_audited()
    {
        await using var host = await TwinHost.StartAsync();
        await host.InHospitalAsync("child-1");
        var family = host.Grains.GetGrain<IFamilyAccessGrain>("child-1");
        var invite = await family.IssueInvite("coord-1", TimeSpan.FromDays(7));
        var member = (await host.Grains.GetGrain<IInviteCodeGrain>(InviteCode.Hash(invite.Code)).Redeem("Sarah")).Membership!;
        var gate = new AccessGate(host.Grains, host.Clock, Options.Create(new AccessOptions { FamilyAccessFrom16 = FamilyAccessFrom16.Continue }));
        var caller = Caller.Family(member.MemberId, "Sarah", "child-1");
        var channel = new AccessChannel("page", "127.0.0.1:50000");

        Assert.True((await gate.ForChildAsync(caller, AccessAction.ViewFamilyView, "child-1", channel)).Allowed);
        Assert.True(await family.RemoveMember(member.MemberId, "coord-1"));
        Assert.False((await gate.ForChildAsync(caller, AccessAction.ViewFamilyView, "child-1", channel)).Allowed);
        Assert.False((await gate.ForChildAsync(caller, AccessAction.ViewFamilyView, "child-2", channel)).Allowed);

        var trail = await host.Grains.GetGrain<IAuditGrain>("child/child-1").GetRecent(10);
        Assert.Equal(2, trail.Total);
        Assert.Equal([false, true], trail.Entries.Select(e => e.Allowed));
        Assert.All(trail.Entries, e => Assert.Equal((member.MemberId, CallerRole.Family, "page", "127.0.0.1:50000"), (e.CallerId, e.Role, e.Channel, e.Origin)));
        Assert.Single((await host.Grains.GetGrain<IAuditGrain>("child/child-2").GetRecent(10)).Entries, e => !e.Allowed);
    }

    [Fact]
    public async Task The_audit_trail_pages_newest_first_and_survives_a_restart()
    {
        await using var host = await TwinHost.StartAsync();
        await host.InHospitalAsync("child-1");
        var gate = new AccessGate(host.Grains, host.Clock, Options.Create(new AccessOptions()));
        var coordinator = Caller.Coordinator("coord-1", "Priya Shah");
        for (var i = 0; i < 12; i++)
        {
            host.Clock.Advance(TimeSpan.FromMinutes(1));
            await gate.ForChildAsync(coordinator, AccessAction.ViewChild, "child-1", new AccessChannel("grpc", $"peer-{i}"));
        }

        await host.RestartAsync();
        var trail = host.Grains.GetGrain<IAuditGrain>("child/child-1");
        var first = await trail.GetRecent(5);
        var second = await trail.GetRecent(5, beforeNumber: 8);

        Assert.Equal(12, first.Total);
        Assert.Equal(["peer-11", "peer-10", "peer-9", "peer-8", "peer-7"], first.Entries.Select(e => e.Origin));
        Assert.Equal(["peer-6", "peer-5", "peer-4", "peer-3", "peer-2"], second.Entries.Select(e => e.Origin));
        Assert.True(first.Entries[0].At > first.Entries[1].At);
    }

    [Fact]
    public async Task A_linked_sign_in_finds_its_member_after_a_restart_and_is_revoked_with_the_membership()
    {
        await using var host = await TwinHost.StartAsync();
        var family = host.Grains.GetGrain<IFamilyAccessGrain>("child-1");
        var sarah = (await host.Grains.GetGrain<IInviteCodeGrain>(InviteCode.Hash((await family.IssueInvite("coord-1", TimeSpan.FromDays(7))).Code)).Redeem("Sarah")).Membership!;
        var tom = (await host.Grains.GetGrain<IInviteCodeGrain>(InviteCode.Hash((await family.IssueInvite("coord-1", TimeSpan.FromDays(7))).Code)).Redeem("Tom")).Membership!;
        var link = FamilySignIn.LinkOf("https://auth.login.nhs.uk/", "nhs-login-subject-1");
        Assert.Equal(link, FamilySignIn.LinkOf("https://auth.login.nhs.uk", "nhs-login-subject-1"));
        Assert.NotEqual(link, FamilySignIn.LinkOf("https://another.example", "nhs-login-subject-1"));

        Assert.True(await family.LinkSignIn(sarah.MemberId, link));
        await host.RestartAsync();
        family = host.Grains.GetGrain<IFamilyAccessGrain>("child-1");
        Assert.Equal(new LinkedFamilyMember(sarah.MemberId, "child-1", "Sarah"), await family.FindLinkedMember(link));
        Assert.Equal([("child-1", sarah.MemberId)], (await host.Grains.GetGrain<IFamilySignInGrain>(link).GetLinks()).Select(l => (l.ChildId, l.MemberId)));
        // The provider's subject itself is never stored.
        Assert.DoesNotContain("nhs-login-subject-1", System.Text.Encoding.UTF8.GetString(await File.ReadAllBytesAsync(host.DatabasePath)));

        Assert.True(await family.RemoveMember(sarah.MemberId, "coord-1"));
        Assert.Null(await family.FindLinkedMember(link));
        Assert.Empty(await host.Grains.GetGrain<IFamilySignInGrain>(link).GetLinks());
        // A removed member cannot link again; another member still can.
        Assert.False(await family.LinkSignIn(sarah.MemberId, link));
        Assert.True(await family.LinkSignIn(tom.MemberId, link));
        Assert.Equal("Tom", (await family.FindLinkedMember(link))!.DisplayName);
    }
}
