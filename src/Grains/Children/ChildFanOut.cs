using System.Collections.Immutable;
using CareTwin.Grains.Boards;
using CareTwin.Grains.Forecasts;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Delays;
using CareTwin.Grains.Publishing;
using CareTwin.Grains.Services;
using CareTwin.Journey.Children;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Projections;
using CareTwin.Journey.Services;

namespace CareTwin.Grains.Children;

/// <summary>
/// What follows a child's change once it is durable: the staff and family streams, the child's rows on its
/// boards and its blockers in the ledgers of the services concerned. All of it derives from the journal; the
/// boards and ledgers ignore versions they already hold, so sending again heals a lost update.
/// </summary>
internal sealed class ChildFanOut(IGrainFactory grains, IStreamProvider streams, string childId)
{
    /// <param name="leadTimes">What blockers really take, for the row's forecast.</param>
    public async Task SendAsync(ChildJourney before, ChildJourney after, ImmutableArray<JourneyEvent> recorded,
        IEnumerable<ServiceKey> services, IServiceDirectory directory, DateTimeOffset now, LeadTimes leadTimes)
    {
        var row = BoardRowProjection.Build(after, now, leadTimes)!;
        // All at once: each goes its own way (the child's streams, each board, each ledger), and the twin answers only
        // when all are done, so their round trips overlap rather than add up. The twin sends its next change only
        // after this one is done, so each stream and each board still gets the child's changes in order.
        var published = recorded.IsEmpty ? Task.CompletedTask : PublishAsync(before, after, recorded, row, directory, now, leadTimes);
        var child = after.Child!;
        var boards = BoardKey.For(row).Select(board =>
            grains.GetGrain<IBoardGrain>(board.ToString()).Upsert(new BoardRowUpdate(childId, after.Version, row)));
        var ledgers = services.Distinct().Select(service =>
            grains.GetGrain<IServiceGrain>(service.Value).Apply(new ServiceBlockersUpdate(childId, after.Version,
                [.. after.Blockers.Where(b => b.OwningService == service).Select(b => ServiceLedgerProjection.Row(child, b))])));
        await Task.WhenAll(boards.Concat(ledgers).Append(published));
    }

    /// <summary>
    /// Teaches the lead times what this child's resolved blockers took: those just resolved, or with
    /// <paramref name="all"/> every one (on activation, so a lost update heals). True if the lead times learned something.
    /// </summary>
    public async Task<bool> TeachAsync(ChildJourney after, ImmutableArray<JourneyEvent> recorded, bool all)
    {
        var resolvedNow = recorded.OfType<BlockerResolved>().Select(e => e.BlockerId).ToHashSet();
        var samples = after.Blockers
            .Where(b => all || resolvedNow.Contains(b.Id))
            .Select(b => (b.Id, Sample: LeadTimeSample.Of(after, b)))
            .Where(s => s.Sample is not null)
            .ToImmutableDictionary(s => s.Id, s => s.Sample!);
        return !samples.IsEmpty && await grains.GetGrain<ILeadTimeGrain>(ILeadTimeGrain.DefaultKey).Record(new ResolvedBlockers(childId, samples) { SentAgain = all });
    }

    private async Task PublishAsync(ChildJourney before, ChildJourney after, ImmutableArray<JourneyEvent> recorded, BoardRow row,
        IServiceDirectory directory, DateTimeOffset now, LeadTimes leadTimes)
    {
        var firstVersion = before.Version + 1;
        var staff = streams.ChildStream(childId).PublishAsync(new ChildChanged(childId, after.Version,
            [.. recorded.Select((e, i) => TimelineEntry.Of(firstVersion + i, e))], row));
        var family = FamilyViewProjection.Changed(before, after, directory, now, leadTimes) is { } view
            ? streams.FamilyStream(childId).PublishAsync(new FamilyViewChanged(childId, after.Version, view))
            : Task.CompletedTask;
        await Task.WhenAll(staff, family);
    }
}
