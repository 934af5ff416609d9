namespace CareTwin.Journey.Family;

/// <summary>
/// The rules of family access: coordinators issue single-use, expiring invites and may revoke them or remove a
/// member; the young person's agreement is recorded by a coordinator. Time comes in as <c>now</c>; every change
/// returns a new <see cref="FamilyAccess"/>.
/// </summary>
public static class FamilyAccessRules
{
    /// <summary>An invite code is handed over outside the system, so one that is never used must stop working on its own.</summary>
    public static readonly TimeSpan LongestInvite = TimeSpan.FromDays(30);

    /// <exception cref="ArgumentOutOfRangeException"><paramref name="validFor"/> is not more than zero and at most <see cref="LongestInvite"/>.</exception>
    public static (FamilyAccess Access, FamilyInvite Invite) Issue(FamilyAccess access, string issuedBy, TimeSpan validFor, DateTimeOffset now)
    {
        if (validFor <= TimeSpan.Zero || validFor > LongestInvite)
            throw new ArgumentOutOfRangeException(nameof(validFor), validFor, $"An invite is valid for up to {LongestInvite.TotalDays} days.");
        // Invites are never deleted, so numbering by count never reuses an id.
        var invite = new FamilyInvite($"invite-{access.Invites.Length + 1}", issuedBy, now, now + validFor);
        return (access with { Invites = access.Invites.Add(invite) }, invite);
    }

    /// <summary>Revokes an invite that has not been used or revoked (an expired one may still be revoked).</summary>
    /// <returns>False, and no change, for an unknown, used or already revoked invite.</returns>
    public static bool TryRevoke(FamilyAccess access, string inviteId, DateTimeOffset now, out FamilyAccess revoked)
    {
        revoked = access;
        // A used invite has already made a member: revoking it would not undo that, removing the member does.
        if (FindInvite(access, inviteId) is not { RedeemedAt: null, RevokedAt: null } invite)
            return false;
        revoked = access with { Invites = access.Invites.Replace(invite, invite with { RevokedAt = now }) };
        return true;
    }

    /// <summary>Makes the holder of an open invite a member, under <paramref name="memberId"/>; the invite is then used up.</summary>
    public static InviteRedemption Redeem(FamilyAccess access, string inviteId, string memberId, string displayName, DateTimeOffset now)
    {
        if (FindInvite(access, inviteId) is not { } invite)
            return new InviteRedemption(access, null, InviteRefusal.UnknownCode);
        // Never both used and revoked (each refuses the other), so the invite's status alone says why not.
        InviteRefusal? refusal = StatusOf(invite, now) switch
        {
            FamilyInviteStatus.Open => null,
            FamilyInviteStatus.Redeemed => InviteRefusal.AlreadyUsed,
            FamilyInviteStatus.Revoked => InviteRefusal.Revoked,
            _ => InviteRefusal.Expired,
        };
        if (refusal is not null)
            return new InviteRedemption(access, null, refusal);
        var member = new FamilyMember(memberId, displayName, inviteId, now);
        var invites = access.Invites.Replace(invite, invite with { RedeemedAt = now });
        return new InviteRedemption(access with { Invites = invites, Members = access.Members.Add(member) }, member, null);
    }

    /// <summary>Ends an active membership; the member loses access on their next request.</summary>
    /// <returns>False, and no change, for an unknown or already removed member.</returns>
    public static bool TryRemoveMember(FamilyAccess access, string memberId, string removedBy, DateTimeOffset now, out FamilyAccess removed)
    {
        removed = access;
        if (access.Members.FirstOrDefault(m => m.Id == memberId && IsActive(m)) is not { } member)
            return false;
        // Kept, not deleted, so who was a member and who removed them stays answerable; a linked sign-in ends with them.
        removed = access with { Members = access.Members.Replace(member, member with { RemovedAt = now, RemovedBy = removedBy, SignInLink = null }) };
        return true;
    }

    /// <summary>Links a lasting sign-in (e.g. NHS login) to an active member, replacing any they linked before.</summary>
    /// <returns>False, and no change, for an unknown or removed member.</returns>
    public static bool TryLinkSignIn(FamilyAccess access, string memberId, string signInLink, DateTimeOffset now, out FamilyAccess linked)
    {
        linked = access;
        if (string.IsNullOrWhiteSpace(signInLink) || access.Members.FirstOrDefault(m => m.Id == memberId && IsActive(m)) is not { } member)
            return false;
        linked = access with { Members = access.Members.Replace(member, member with { SignInLink = signInLink, SignInLinkedAt = now }) };
        return true;
    }

    /// <summary>The active member a lasting sign-in is linked to (null if none).</summary>
    public static FamilyMember? FindLinkedMember(FamilyAccess access, string signInLink) =>
        access.Members.FirstOrDefault(m => IsActive(m) && m.SignInLink is { } link && link == signInLink);

    /// <summary>Records the young person's agreement, or its withdrawal, and who recorded it when.</summary>
    public static FamilyAccess RecordYoungPersonConsent(FamilyAccess access, bool consent, string recordedBy, DateTimeOffset now) =>
        access with { YoungPersonConsent = consent, ConsentRecordedBy = recordedBy, ConsentRecordedAt = now };

    /// <summary>A member, active or removed (null if unknown).</summary>
    public static FamilyMember? FindMember(FamilyAccess access, string memberId) => access.Members.FirstOrDefault(m => m.Id == memberId);

    /// <summary>A member is active from joining until removed.</summary>
    public static bool IsActive(FamilyMember member) => member.RemovedAt is null;

    /// <summary>An invite is open until used, revoked, or its expiry time arrives.</summary>
    public static FamilyInviteStatus StatusOf(FamilyInvite invite, DateTimeOffset now) => invite switch
    {
        { RedeemedAt: not null } => FamilyInviteStatus.Redeemed,
        { RevokedAt: not null } => FamilyInviteStatus.Revoked,
        _ when now >= invite.ExpiresAt => FamilyInviteStatus.Expired,
        _ => FamilyInviteStatus.Open,
    };

    private static FamilyInvite? FindInvite(FamilyAccess access, string inviteId) => access.Invites.FirstOrDefault(i => i.Id == inviteId);
}
