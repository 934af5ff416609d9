namespace CareTwin.Grains.Access;

/// <summary>What happens to family access when the child turns 16 (configuration Access:FamilyAccessFrom16).</summary>
public enum FamilyAccessFrom16
{
    /// <summary>Family access continues unchanged.</summary>
    Continue,
    /// <summary>Family access pauses at 16 until the young person's agreement is recorded by a coordinator.</summary>
    RequiresYoungPersonConsent,
}

/// <summary>Access settings an NHS trust chooses (configuration section "Access").</summary>
public sealed class AccessOptions
{
    public const string SectionName = "Access";

    public FamilyAccessFrom16 FamilyAccessFrom16 { get; set; } = FamilyAccessFrom16.RequiresYoungPersonConsent;

    /// <summary>Attempts by callers nobody identified are audited as one entry per caller address per this long (<see cref="UnauthenticatedAttempts"/>).</summary>
    public TimeSpan UnauthenticatedAuditWindow { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>A family member's standing with one child, from that child's family-access twin.</summary>
/// <param name="Active">Joined by invite and not removed.</param>
/// <param name="YoungPersonConsent">The young person (16+) agreed that their family may see their journey.</param>
public sealed record FamilyMembership(string MemberId, string ChildId, bool Active, bool YoungPersonConsent);
