using System.Collections.Immutable;

namespace CareTwin.Journey.Family;

/// <summary>
/// Who in a child's family may see the child's journey: the invites a coordinator issued, the members who joined
/// by one, and whether the young person (16+) agreed. Changed only by <see cref="FamilyAccessRules"/>.
/// </summary>
/// <remarks>
/// Stored as JSON (<c>JourneyJson.Options</c>) in rows that databases already hold: the property names, their order
/// and their shapes here and in <see cref="FamilyInvite"/> and <see cref="FamilyMember"/> are that stored form, so
/// they must not change.
/// </remarks>
public sealed record FamilyAccess
{
    public ImmutableArray<FamilyInvite> Invites { get; init; } = [];
    public ImmutableArray<FamilyMember> Members { get; init; } = [];
    /// <summary>The young person (16+) has agreed that their family may see their journey.</summary>
    public bool YoungPersonConsent { get; init; }
    /// <summary>Who last recorded the agreement or its withdrawal (null if never).</summary>
    public string? ConsentRecordedBy { get; init; }
    public DateTimeOffset? ConsentRecordedAt { get; init; }
}

/// <summary>A single-use invite. Its code is not kept: only the code's hash finds the invite, from elsewhere.</summary>
public sealed record FamilyInvite(
    string Id, string IssuedBy, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, DateTimeOffset? RedeemedAt = null, DateTimeOffset? RevokedAt = null);

/// <summary>A family member who joined by an invite. A removed member stays listed, no longer active.</summary>
/// <param name="SignInLink">
/// The lasting sign-in they linked (e.g. NHS login), as a hash of the provider's issuer and their subject there, so
/// they can come back without a new invite; null if none, and cleared when the member is removed.
/// </param>
/// <param name="SignInLinkedAt">When they last linked one (kept after removal, as a record).</param>
public sealed record FamilyMember(
    string Id, string DisplayName, string InviteId, DateTimeOffset JoinedAt, DateTimeOffset? RemovedAt = null, string? RemovedBy = null,
    string? SignInLink = null, DateTimeOffset? SignInLinkedAt = null);

public enum FamilyInviteStatus { Open, Redeemed, Expired, Revoked }

/// <summary>Why an invite code typed in by a family member did not make them a member.</summary>
public enum InviteRefusal { UnknownCode, Expired, AlreadyUsed, Revoked }

/// <summary>What became of redeeming an invite: the access with the new member in it, or why not (access unchanged).</summary>
public sealed record InviteRedemption(FamilyAccess Access, FamilyMember? Member, InviteRefusal? Refusal);
