using System.Collections.Immutable;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Services;

namespace CareTwin.Grains.Access;

public enum CallerRole
{
    Coordinator,
    /// <summary>Staff of one service (agency); sees a child only while that service is involved.</summary>
    AgencyStaff,
    /// <summary>A family member of one child, joined by invite.</summary>
    Family,
    /// <summary>An external system (EPR/PAS, housing or social care case system) with an API key.</summary>
    ExternalSystem,
    /// <summary>Not signed in to the web, or no valid API key: recorded when such a request names a record.</summary>
    Anonymous,
    /// <summary>Runs the servers: sees the Orleans dashboard and no child's record. Last, so stored audit entries keep their values.</summary>
    Operator,
}

/// <summary>
/// Who is calling, as authentication established it (a sign-in cookie or an API key). The same record
/// reaches the one access policy from pages, hubs and gRPC.
/// </summary>
/// <param name="Services">The services the caller acts for: agency staff one, an external system its key's scope.</param>
/// <param name="ChildId">The one child a family member is bound to.</param>
/// <param name="ManagesJourneys">An external system that may register children and move their stages (EPR/PAS).</param>
public sealed record Caller(string Id, string DisplayName, CallerRole Role, ImmutableArray<string> Services, string? ChildId, bool ManagesJourneys)
{
    public static Caller Coordinator(string id, string displayName) => new(id, displayName, CallerRole.Coordinator, [], null, false);

    public static Caller AgencyStaff(string id, string displayName, ServiceKey service) =>
        new(id, displayName, CallerRole.AgencyStaff, [service.Value], null, false);

    public static Caller Family(string id, string displayName, string childId) => new(id, displayName, CallerRole.Family, [], childId, false);

    public static Caller ExternalSystem(string id, string displayName, IEnumerable<string> services, bool managesJourneys) =>
        new(id, displayName, CallerRole.ExternalSystem, [.. services], null, managesJourneys);

    public static Caller Operator(string id, string displayName) => new(id, displayName, CallerRole.Operator, [], null, false);

    /// <summary>Whoever sent a request without valid credentials; the policy refuses them everything.</summary>
    public static Caller Unauthenticated(string displayName) => new(UnauthenticatedId, displayName, CallerRole.Anonymous, [], null, false);

    public const string UnauthenticatedId = "anonymous";

    public bool ActsFor(ServiceKey service) => Services.Contains(service.Value);

    /// <summary>The journal's record of who made a change.</summary>
    public Actor ToActor() => new(Id, DisplayName, Role switch
    {
        CallerRole.Coordinator => ActorRole.Coordinator,
        CallerRole.AgencyStaff => ActorRole.AgencyStaff,
        CallerRole.Family => ActorRole.Family,
        _ => ActorRole.ExternalSystem,
    });
}
