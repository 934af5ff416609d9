using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;

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

    Task<bool> RemoveMember(string memberId, string removedBy);

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

public sealed class FamilyAccessState
{
    public List<InviteRecord> Invites { get; set; } = [];
    public List<MemberRecord> Members { get; set; } = [];
    public bool YoungPersonConsent { get; set; }
    public string? ConsentRecordedBy { get; set; }
    public DateTimeOffset? ConsentRecordedAt { get; set; }

    public sealed class InviteRecord
    {
        public string Id { get; set; } = "";
        public string IssuedBy { get; set; } = "";
        public DateTimeOffset IssuedAt { get; set; }
        public DateTimeOffset ExpiresAt { get; set; }
        public DateTimeOffset? RedeemedAt { get; set; }
        public DateTimeOffset? RevokedAt { get; set; }
    }

    public sealed class MemberRecord
    {
        public string Id { get; set; } = "";
        public string DisplayName { get; set; } = "";
        public string InviteId { get; set; } = "";
        public DateTimeOffset JoinedAt { get; set; }
        public DateTimeOffset? RemovedAt { get; set; }
        public string? RemovedBy { get; set; }
    }
}

[GrainType("family-access")]
public sealed class FamilyAccessGrain(
    [PersistentState("family-access")] IPersistentState<FamilyAccessState> state, TimeProvider time) : Grain, IFamilyAccessGrain
{
    private static readonly TimeSpan LongestInvite = TimeSpan.FromDays(30);

    private string ChildId => this.GetPrimaryKeyString();

    public async Task<IssuedInvite> IssueInvite(string issuedBy, TimeSpan validFor)
    {
        if (validFor <= TimeSpan.Zero || validFor > LongestInvite)
            throw new ArgumentOutOfRangeException(nameof(validFor), validFor, $"An invite is valid for up to {LongestInvite.TotalDays} days.");
        var now = time.GetUtcNow();
        var code = InviteCode.New();
        var invite = new FamilyAccessState.InviteRecord
        {
            Id = $"invite-{state.State.Invites.Count + 1}", IssuedBy = issuedBy, IssuedAt = now, ExpiresAt = now + validFor,
        };
        await GrainFactory.GetGrain<IInviteCodeGrain>(InviteCode.Hash(code)).Bind(ChildId, invite.Id);
        state.State.Invites.Add(invite);
        await state.WriteStateAsync();
        return new IssuedInvite(invite.Id, code, invite.ExpiresAt);
    }

    public async Task<bool> RevokeInvite(string inviteId, string revokedBy)
    {
        var invite = state.State.Invites.FirstOrDefault(i => i.Id == inviteId);
        if (invite is null || invite.RedeemedAt is not null || invite.RevokedAt is not null) return false;
        invite.RevokedAt = time.GetUtcNow();
        await state.WriteStateAsync();
        return true;
    }

    public async Task<RedeemOutcome> Redeem(string inviteId, string displayName)
    {
        var invite = state.State.Invites.FirstOrDefault(i => i.Id == inviteId);
        var now = time.GetUtcNow();
        var failure = invite switch
        {
            null => RedeemFailure.UnknownCode,
            { RevokedAt: not null } => RedeemFailure.Revoked,
            { RedeemedAt: not null } => RedeemFailure.AlreadyUsed,
            _ when now >= invite.ExpiresAt => RedeemFailure.Expired,
            _ => (RedeemFailure?)null,
        };
        if (failure is not null) return new RedeemOutcome(null, null, failure);
        invite!.RedeemedAt = now;
        var member = new FamilyAccessState.MemberRecord
        {
            Id = $"family-{Guid.NewGuid():N}", DisplayName = displayName, InviteId = inviteId, JoinedAt = now,
        };
        state.State.Members.Add(member);
        await state.WriteStateAsync();
        return new RedeemOutcome(Membership(member), member.DisplayName, null);
    }

    public async Task<bool> RemoveMember(string memberId, string removedBy)
    {
        var member = state.State.Members.FirstOrDefault(m => m.Id == memberId && m.RemovedAt is null);
        if (member is null) return false;
        member.RemovedAt = time.GetUtcNow();
        member.RemovedBy = removedBy;
        await state.WriteStateAsync();
        return true;
    }

    public async Task RecordYoungPersonConsent(bool consent, string recordedBy)
    {
        state.State.YoungPersonConsent = consent;
        state.State.ConsentRecordedBy = recordedBy;
        state.State.ConsentRecordedAt = time.GetUtcNow();
        await state.WriteStateAsync();
    }

    public Task<FamilyMembership?> GetMembership(string memberId) =>
        Task.FromResult(state.State.Members.FirstOrDefault(m => m.Id == memberId) is { } member ? Membership(member) : null);

    public Task<FamilyAccessOverview> GetOverview()
    {
        var now = time.GetUtcNow();
        return Task.FromResult(new FamilyAccessOverview(
            ChildId,
            [.. state.State.Invites.Select(i => new InviteSummary(i.Id, i.IssuedBy, i.IssuedAt, i.ExpiresAt, i switch
            {
                { RedeemedAt: not null } => InviteStatus.Redeemed,
                { RevokedAt: not null } => InviteStatus.Revoked,
                _ when now >= i.ExpiresAt => InviteStatus.Expired,
                _ => InviteStatus.Open,
            }))],
            [.. state.State.Members.Select(m => new FamilyMemberSummary(m.Id, m.DisplayName, m.JoinedAt, m.RemovedAt is null))],
            state.State.YoungPersonConsent,
            state.State.ConsentRecordedBy,
            state.State.ConsentRecordedAt));
    }

    private FamilyMembership Membership(FamilyAccessState.MemberRecord member) =>
        new(member.Id, ChildId, member.RemovedAt is null, state.State.YoungPersonConsent);
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
