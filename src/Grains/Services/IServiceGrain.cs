using System.Collections.Immutable;
using CareTwin.Journey.Projections;
using CareTwin.Journey.Services;

namespace CareTwin.Grains.Services;

/// <summary>
/// A service's (agency's) twin, keyed by its service key ("housing.newham"): the blockers it owns, the
/// escalations waiting for it to acknowledge, and how it does against its SLAs. Children keep it up to date;
/// acknowledging is a command on the child, which then updates this twin.
/// </summary>
public interface IServiceGrain : IGrainWithStringKey
{
    /// <summary>Replaces one child's blockers at this service unless it already has that child's version; true if it changed.</summary>
    /// <remarks>
    /// Answers once the ledger has changed; the change reaches the service's stream just after, in order, batched with
    /// those that arrive while a publish is in flight (every write to a child waits for the ledgers it concerns).
    /// </remarks>
    [AlwaysInterleave]
    Task<bool> Apply(ServiceBlockersUpdate update);

    [ReadOnly]
    Task<ServiceOverview> GetOverview();
}

/// <param name="Blockers">Every blocker of the child this service owns at <paramref name="ChildVersion"/> (empty: none any more).</param>
public sealed record ServiceBlockersUpdate(string ChildId, long ChildVersion, ImmutableArray<OwnedBlocker> Blockers);

/// <param name="Profile">The service's profile from the directory; null if it is not registered.</param>
/// <param name="ChildVersions">The version of each child the overview reflects, so a watcher can tell a change it already has.</param>
public sealed record ServiceOverview(
    ServiceKey Service,
    ServiceProfile? Profile,
    ImmutableArray<OwnedBlocker> ActiveBlockers,
    ImmutableArray<AwaitingAcknowledgement> AwaitingAcknowledgement,
    SlaPerformance Performance,
    DateTimeOffset AsOf,
    ImmutableDictionary<string, long>? ChildVersions = null);
