using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CareTwin.Grains.Boards;
using CareTwin.Grains.Services;
using CareTwin.Grains.Views;
using System.Collections.Immutable;
using CareTwin.Journey.Children;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Delays;
using CareTwin.Journey.Demo;
using CareTwin.Journey.Projections;
using CareTwin.Journey.Serialization;

namespace CareTwin.Bench.Views;

/// <summary>
/// What one write-behind of a board and of a service's ledger costs as the region grows: both are stored whole
/// (<c>WriteBehind</c>, at most every 5 s while rows change), as the host's grain storage serializes them.
/// The rows are the demo region's own (children folded through the journey rules), repeated under new ids past
/// the generated ones, so every row is realistic.
/// </summary>
public static class ViewWrites
{
    public static string Run(IReadOnlyList<int> sizes)
    {
        var now = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
        var demo = DemoRegionGenerator.Generate(20261122, now, 2_000);
        var directory = demo.ServiceDirectory();
        var journeys = demo.Children.Select(child => child.Commands.Aggregate(ChildJourney.Empty,
            (state, timed) => JourneyDecider.Handle(state, timed.Command, new DecisionContext(timed.At, directory)).State)).ToArray();
        var rows = journeys.Select(j => BoardRowProjection.Build(j, now)).OfType<BoardRow>().ToArray();
        var owned = journeys.SelectMany(j => j.Blockers.Select(b => (Service: b.OwningService, Row: ServiceLedgerProjection.Row(j.Child!, b)))).ToArray();

        var report = new StringBuilder();
        report.AppendLine("# What one write of a board and of a service's ledger costs (issue 18)");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"Produced by `dotnet run -c Release --project bench/Bench -- views {string.Join(' ', sizes)}` on {Environment.ProcessorCount} cores (load average {LoadAverage()}).");
        report.AppendLine("A region board holds a row per child, and the busiest service's ledger a row per blocker it owns. Both are written");
        report.AppendLine("behind (at most once per 5 s while they change), serialized as the host's grain storage does (System.Text.Json, the");
        report.AppendLine("journey's options). Until issue 18 each was stored whole, so every write serialized all of it (\"whole\"). Now each");
        report.AppendLine($"is kept in {BucketedRows}, shares by child, and a write stores only the shares that changed (\"one share\"). Rows: the");
        report.AppendLine("2,000-child demo region's, repeated under new ids beyond that. Times: median of 3.");
        report.AppendLine();
        report.AppendLine("| children on the board | board, whole: JSON | serialize | allocated | board, one share: JSON | serialize | busiest service's blockers | ledger, whole: JSON | serialize | ledger, one share: JSON | serialize |");
        report.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        var busiest = owned.GroupBy(b => b.Service).MaxBy(g => g.Count())!.Key;
        foreach (var size in sizes)
        {
            var board = new BoardState();
            var share = new RowBucket<StoredBoardRow>();
            for (var i = 0; i < size; i++)
            {
                var row = rows[i % rows.Length];
                var id = i < rows.Length ? row.ChildId : $"{row.ChildId}-{i / rows.Length}";
                var stamp = new BoardRowStamp(i, DateOnly.FromDateTime(now.UtcDateTime));
                board.Summary = board.Summary.Upsert(row with { ChildId = id });
                board.Stamps = board.Stamps.SetItem(id, stamp);
                if (i % BucketedRows == 0) share.Rows = share.Rows.SetItem(id, new StoredBoardRow(stamp, row with { ChildId = id }));
            }
            var ledger = new ServiceTwinState { Ledger = ServiceLedger.For(busiest) };
            var ledgerShare = new RowBucket<StoredServiceChild>();
            var copies = Math.Max(1, size / journeys.Length);
            var children = 0;
            foreach (var copy in Enumerable.Range(0, copies))
                foreach (var child in owned.Where(b => b.Service == busiest).Select(b => b.Row).GroupBy(b => b.ChildId))
                {
                    var blockers = child.Select(b => copy == 0 ? b : b with { ChildId = $"{b.ChildId}-{copy}" }).ToImmutableArray();
                    ledger.Ledger = blockers.Aggregate(ledger.Ledger, (l, b) => l.Upsert(b));
                    if (children++ % BucketedRows == 0) ledgerShare.Rows = ledgerShare.Rows.SetItem(blockers[0].ChildId, new StoredServiceChild(1, blockers));
                }
            var boardWhole = Measure(board);
            var boardShare = Measure(share);
            var ledgerWhole = Measure(ledger);
            var ledgerOne = Measure(ledgerShare);
            report.AppendLine(CultureInfo.InvariantCulture,
                $"| {size:N0} | {Mib(boardWhole.Bytes)} | {boardWhole.Milliseconds:F0} ms | {Mib(boardWhole.Allocated)} | {Mib(boardShare.Bytes)} | {boardShare.Milliseconds:F1} ms | {ledger.Ledger.Blockers.Count:N0} | {Mib(ledgerWhole.Bytes)} | {ledgerWhole.Milliseconds:F0} ms | {Mib(ledgerOne.Bytes)} | {ledgerOne.Milliseconds:F1} ms |");
        }
        return report.ToString();
    }

    /// <summary>How many shares a board or ledger is kept in (BucketedRows.Buckets in src/Grains/Views).</summary>
    private const int BucketedRows = 64;

    private static string Mib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:F2} MiB");

    private static (long Bytes, double Milliseconds, long Allocated) Measure<T>(T state)
    {
        var times = new List<double>();
        long bytes = 0, allocated = 0;
        for (var run = 0; run < 3; run++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            var json = JsonSerializer.Serialize(state, JourneyJson.Options);
            times.Add(watch.Elapsed.TotalMilliseconds);
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            bytes = Encoding.UTF8.GetByteCount(json);
        }
        times.Sort();
        return (bytes, times[1], allocated);
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
