using System.Collections.Immutable;
using CareTwin.Grains.Access;

namespace CareTwin.Web.Views;

/// <summary>Someone in the care team who looked at (or changed) a child's record, as the family is shown it.</summary>
public sealed record CareTeamLook(string Name, string Role, DateTimeOffset LastLooked);

/// <summary>
/// Who in the care team has looked at a child's record lately, from its audit trail, as NHS patients can see in their
/// own records: people only (not systems), by name and role in plain words, each once with when they last looked.
/// </summary>
public static class CareTeamLooks
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(30);

    private static readonly ImmutableHashSet<AccessAction> Looking =
        [AccessAction.ViewChild, AccessAction.WatchChild, AccessAction.ChangeChild, AccessAction.ViewAudit, AccessAction.ManageFamilyAccess];

    /// <param name="entries">The trail's entries, in any order.</param>
    public static ImmutableArray<CareTeamLook> Since(IEnumerable<AuditEntry> entries, DateTimeOffset since) =>
    [
        .. entries
            .Where(e => e.Allowed && e.At >= since && e.Role is CallerRole.Coordinator or CallerRole.AgencyStaff && Looking.Contains(e.Action))
            .GroupBy(e => e.CallerId)
            .Select(g => g.MaxBy(e => e.At)!)
            .Select(e => new CareTeamLook(e.CallerName, RoleWords(e.Role), e.At))
            .OrderByDescending(l => l.LastLooked),
    ];

    private static string RoleWords(CallerRole role) => role == CallerRole.Coordinator ? "care coordinator" : "from a service helping with your child's care";
}
