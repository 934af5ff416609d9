using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using CareTwin.Journey.Family;

namespace CareTwin.Grains.Access;

/// <summary>An invite as issued: the code is shown once to the coordinator, to hand to the family; only its hash is kept.</summary>
public sealed record IssuedInvite(string InviteId, string Code, DateTimeOffset ExpiresAt);

public enum InviteStatus { Open, Redeemed, Expired, Revoked }

public sealed record InviteSummary(string InviteId, string IssuedBy, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, InviteStatus Status);

public sealed record FamilyMemberSummary(string MemberId, string DisplayName, DateTimeOffset JoinedAt, bool Active);

/// <param name="YoungPersonConsent">The young person (16+) has agreed that their family may see their journey.</param>
/// <param name="ConsentRecordedBy">Who last recorded the agreement or its withdrawal, and when (null if never).</param>
public sealed record FamilyAccessOverview(
    string ChildId,
    ImmutableArray<InviteSummary> Invites,
    ImmutableArray<FamilyMemberSummary> Members,
    bool YoungPersonConsent,
    string? ConsentRecordedBy = null,
    DateTimeOffset? ConsentRecordedAt = null);

public enum RedeemFailure { UnknownCode, Expired, AlreadyUsed, Revoked }

/// <summary>An active family member found by the lasting sign-in they linked.</summary>
public sealed record LinkedFamilyMember(string MemberId, string ChildId, string DisplayName);

/// <summary>What became of an invite code typed in by a family member: a membership, or why not.</summary>
public sealed record RedeemOutcome(FamilyMembership? Membership, string? DisplayName, RedeemFailure? Failure);

/// <summary>
/// Who in a child's family may see the child's journey (key: child id). Coordinators issue single-use,
/// expiring invites and can revoke them or remove a member; a removed member loses access on their next request.
/// </summary>
public interface IFamilyAccessGrain : IGrainWithStringKey
{
    Task<IssuedInvite> IssueInvite(string issuedBy, TimeSpan validFor);

    Task<bool> RevokeInvite(string inviteId, string revokedBy);

    /// <summary>Called by the invite's code grain: joins a member if the invite is still open.</summary>
    Task<RedeemOutcome> Redeem(string inviteId, string displayName);

    /// <summary>Ends a membership; a lasting sign-in the member linked is unlinked with it.</summary>
    Task<bool> RemoveMember(string memberId, string removedBy);

    /// <summary>Links a lasting sign-in (the hash from <see cref="FamilySignIn.LinkOf"/>) to an active member, so they can come back.</summary>
    Task<bool> LinkSignIn(string memberId, string signInLink);

    /// <summary>The active member this lasting sign-in is linked to, if any.</summary>
    [ReadOnly]
    Task<LinkedFamilyMember?> FindLinkedMember(string signInLink);

    /// <summary>Records that the young person has agreed to family access (or has withdrawn their agreement), and who recorded it.</summary>
    Task RecordYoungPersonConsent(bool consent, string recordedBy);

    [ReadOnly]
    Task<FamilyMembership?> GetMembership(string memberId);

    [ReadOnly]
    Task<FamilyAccessOverview> GetOverview();
}

/// <summary>Finds an invite by its code (key: the code's hash), so a family member needs nothing but the code.</summary>
public interface IInviteCodeGrain : IGrainWithStringKey
{
    Task Bind(string childId, string inviteId);

    Task<RedeemOutcome> Redeem(string displayName);
}

/// <summary>Invite codes: 12 characters from an alphabet without look-alikes, typed with or without dashes.</summary>
public static class InviteCode
{
    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    public const int Length = 12;

    public static string New()
    {
        Span<char> code = stackalloc char[Length];
        for (var i = 0; i < Length; i++) code[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        return $"{code[..4]}-{code[4..8]}-{code[8..]}";
    }

    /// <summary>The key under which a code is found; the code itself is never stored.</summary>
    public static string Hash(string code)
    {
        var normalised = new string(code.Where(char.IsLetterOrDigit).Select(char.ToUpperInvariant).ToArray());
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalised)));
    }

    public static bool LooksValid(string? code) =>
        code is not null && code.Count(char.IsLetterOrDigit) == Length && code.All(c => c == '-' || c == ' ' || Alphabet.Contains(char.ToUpperInvariant(c)));
}

[GrainType("family-access")]
public sealed class FamilyAccessGrain(
    [PersistentState("family-access")] IPersistentState<FamilyAccess> state, TimeProvider time) : Grain, IFamilyAccessGrain
{
    private string ChildId => this.GetPrimaryKeyString();

    public async Task<IssuedInvite> IssueInvite(string issuedBy, TimeSpan validFor)
    {
        var (issued, invite) = FamilyAccessRules.Issue(state.State, issuedBy, validFor, time.GetUtcNow());
        var code = InviteCode.New();
        // Bound before the invite is kept, so a code that cannot be bound leaves no invite behind.
        await GrainFactory.GetGrain<IInviteCodeGrain>(InviteCode.Hash(code)).Bind(ChildId, invite.Id);
        state.State = issued;
        await state.WriteStateAsync();
        return new IssuedInvite(invite.Id, code, invite.ExpiresAt);
    }

    public async Task<bool> RevokeInvite(string inviteId, string revokedBy)
    {
        if (!FamilyAccessRules.TryRevoke(state.State, inviteId, time.GetUtcNow(), out var revoked))
            return false;
        state.State = revoked;
        await state.WriteStateAsync();
        return true;
    }

    public async Task<RedeemOutcome> Redeem(string inviteId, string displayName)
    {
        var redemption = FamilyAccessRules.Redeem(state.State, inviteId, $"family-{Guid.NewGuid():N}", displayName, time.GetUtcNow());
        if (redemption is not { Member: { } member })
            return new RedeemOutcome(null, null, Failure(redemption.Refusal));
        state.State = redemption.Access;
        await state.WriteStateAsync();
        return new RedeemOutcome(Membership(member), member.DisplayName, null);
    }

    public async Task<bool> RemoveMember(string memberId, string removedBy)
    {
        var link = FamilyAccessRules.FindMember(state.State, memberId)?.SignInLink;
        if (!FamilyAccessRules.TryRemoveMember(state.State, memberId, removedBy, time.GetUtcNow(), out var removed))
            return false;
        state.State = removed;
        await state.WriteStateAsync();
        // The membership no longer holds the link, which alone lets it sign in; the index entry is tidied after.
        if (link is not null) await GrainFactory.GetGrain<IFamilySignInGrain>(link).Unlink(ChildId, memberId);
        return true;
    }

    public async Task<bool> LinkSignIn(string memberId, string signInLink)
    {
        if (!FamilyAccessRules.TryLinkSignIn(state.State, memberId, signInLink, time.GetUtcNow(), out var linked))
            return false;
        var previous = FamilyAccessRules.FindMember(state.State, memberId)?.SignInLink;
        // Indexed first, so a link the membership holds can always be found.
        await GrainFactory.GetGrain<IFamilySignInGrain>(signInLink).Link(ChildId, memberId);
        state.State = linked;
        await state.WriteStateAsync();
        if (previous is not null && previous != signInLink) await GrainFactory.GetGrain<IFamilySignInGrain>(previous).Unlink(ChildId, memberId);
        return true;
    }

    public Task<LinkedFamilyMember?> FindLinkedMember(string signInLink) =>
        Task.FromResult(FamilyAccessRules.FindLinkedMember(state.State, signInLink) is { } member
            ? new LinkedFamilyMember(member.Id, ChildId, member.DisplayName)
            : null);

    public async Task RecordYoungPersonConsent(bool consent, string recordedBy)
    {
        state.State = FamilyAccessRules.RecordYoungPersonConsent(state.State, consent, recordedBy, time.GetUtcNow());
        await state.WriteStateAsync();
    }

    public Task<FamilyMembership?> GetMembership(string memberId) =>
        Task.FromResult(FamilyAccessRules.FindMember(state.State, memberId) is { } member ? Membership(member) : null);

    public Task<FamilyAccessOverview> GetOverview()
    {
        var now = time.GetUtcNow();
        var access = state.State;
        return Task.FromResult(new FamilyAccessOverview(
            ChildId,
            [.. access.Invites.Select(i => new InviteSummary(i.Id, i.IssuedBy, i.IssuedAt, i.ExpiresAt, Status(FamilyAccessRules.StatusOf(i, now))))],
            [.. access.Members.Select(m => new FamilyMemberSummary(m.Id, m.DisplayName, m.JoinedAt, FamilyAccessRules.IsActive(m)))],
            access.YoungPersonConsent,
            access.ConsentRecordedBy,
            access.ConsentRecordedAt));
    }

    private FamilyMembership Membership(FamilyMember member) =>
        new(member.Id, ChildId, FamilyAccessRules.IsActive(member), state.State.YoungPersonConsent);

    // The grain contract keeps its own enums (pages and clients name them); the model's map onto them one to one.
    private static RedeemFailure Failure(InviteRefusal? refusal) => refusal switch
    {
        InviteRefusal.UnknownCode => RedeemFailure.UnknownCode,
        InviteRefusal.Expired => RedeemFailure.Expired,
        InviteRefusal.AlreadyUsed => RedeemFailure.AlreadyUsed,
        InviteRefusal.Revoked => RedeemFailure.Revoked,
        _ => throw new ArgumentOutOfRangeException(nameof(refusal), refusal, "Not a reason to refuse an invite."),
    };

    private static InviteStatus Status(FamilyInviteStatus status) => status switch
    {
        FamilyInviteStatus.Open => InviteStatus.Open,
        FamilyInviteStatus.Redeemed => InviteStatus.Redeemed,
        FamilyInviteStatus.Expired => InviteStatus.Expired,
        FamilyInviteStatus.Revoked => InviteStatus.Revoked,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not an invite status."),
    };
}

public sealed class InviteCodeState
{
    public string? ChildId { get; set; }
    public string? InviteId { get; set; }
}

[GrainType("invite-code")]
public sealed class InviteCodeGrain([PersistentState("invite-code")] IPersistentState<InviteCodeState> state) : Grain, IInviteCodeGrain
{
    public async Task Bind(string childId, string inviteId)
    {
        // A fresh random code colliding with a used one is vanishingly unlikely; refuse rather than repoint it.
        if (state.State.ChildId is not null) throw new InvalidOperationException("This invite code is already in use.");
        state.State.ChildId = childId;
        state.State.InviteId = inviteId;
        await state.WriteStateAsync();
    }

    public Task<RedeemOutcome> Redeem(string displayName) =>
        state.State is { ChildId: { } childId, InviteId: { } inviteId }
            ? GrainFactory.GetGrain<IFamilyAccessGrain>(childId).Redeem(inviteId, displayName)
            : Task.FromResult(new RedeemOutcome(null, null, RedeemFailure.UnknownCode));
}
