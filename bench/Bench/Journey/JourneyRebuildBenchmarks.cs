using System.Text.Json;
using BenchmarkDotNet.Attributes;
using CareTwin.Grains.Children;
using CareTwin.Journey.Children;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Serialization;

namespace CareTwin.Bench.Journey;

/// <summary>
/// Time to rebuild a child's twin from a 1,000-event journal (target ≤ 1 ms with a snapshot), doing what a
/// journaled grain's activation does once storage has returned the rows: read the snapshot (a
/// <see cref="ChildTwinState"/> in JourneyJson), then read and fold every event after it, as
/// <c>JournalStore.LoadAsync</c> does for the child grain's
/// <c>ReadStateFromStorage</c>. Measured on the model directly (no silo, no store): the store's read is not part of it.
/// Twins snapshot every <see cref="CareTwin.Grains.Persistence.JournalStore.SnapshotInterval"/> (100) events,
/// so a rebuild replays 0 to 99 events after the snapshot.
/// </summary>
[Config(typeof(ShortRunConfig))]
public class JourneyRebuildBenchmarks
{
    private const int Events = 1_000;

    private string[] _journal = [];
    private string _snapshotAt1000 = "";
    private string _snapshotAt901 = "";

    [GlobalSetup]
    public void Setup()
    {
        var events = JourneyHistories.LongJournal(DateTimeOffset.UtcNow, Events);
        // As the runtime stores them: each event as its base type (so with its discriminator), the snapshot as the grain state.
        _journal = [.. events.Select(e => JsonSerializer.Serialize(e, JourneyJson.Options))];
        _snapshotAt1000 = Snapshot(JourneyFold.Replay(events));
        _snapshotAt901 = Snapshot(JourneyFold.Replay(events.Take(901)));
        var expected = JourneyJson.Serialize(JourneyFold.Replay(events));
        foreach (var rebuilt in new[] { FromJournal(), FromSnapshot(), FromSnapshotAnd99Events() })
        {
            if (JourneyJson.Serialize(rebuilt) != expected)
                throw new InvalidOperationException("A rebuild differs from the fold of the journal.");
        }
    }

    [Benchmark(Description = "snapshot at 1000, no events after it")]
    public ChildJourney FromSnapshot() => Rebuild(_snapshotAt1000, Events);

    [Benchmark(Description = "snapshot at 901 + 99 events (worst case)")]
    public ChildJourney FromSnapshotAnd99Events() => Rebuild(_snapshotAt901, 901);

    [Benchmark(Baseline = true, Description = "no snapshot: 1000 events")]
    public ChildJourney FromJournal() => Rebuild(null, 0);

    private ChildJourney Rebuild(string? snapshot, int version)
    {
        var state = snapshot is null ? new ChildTwinState() : JsonSerializer.Deserialize<ChildTwinState>(snapshot, JourneyJson.Options)!;
        for (var i = version; i < _journal.Length; i++)
            state.Journey = JourneyFold.Apply(state.Journey, JsonSerializer.Deserialize<JourneyEvent>(_journal[i], JourneyJson.Options)!);
        return state.Journey;
    }

    private static string Snapshot(ChildJourney journey) => JsonSerializer.Serialize(new ChildTwinState { Journey = journey }, JourneyJson.Options);
}
