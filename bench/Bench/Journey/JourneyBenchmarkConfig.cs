using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace CareTwin.Bench.Journey;

/// <summary>
/// Short runs (the machine is 2 shared cores), in process: the memory benchmark reads heap sizes it measured
/// itself, which only the process that ran it can report.
/// </summary>
public abstract class JourneyBenchmarkConfig : ManualConfig
{
    protected JourneyBenchmarkConfig(Job job)
    {
        AddJob(job.WithToolchain(InProcessEmitToolchain.Instance));
        AddDiagnoser(MemoryDiagnoser.Default);
        // The cores are shared with other work: the median and minimum say more than the mean.
        AddColumn(StatisticColumn.Median, StatisticColumn.Min);
        AddColumn(new MeasuredColumn("Retained/twin", () => Kilobytes(JourneyTwinMemoryBenchmarks.MedianRetainedPerTwin())));
        AddColumn(new MeasuredColumn("State/twin", () => Kilobytes(JourneyTwinMemoryBenchmarks.StatePerTwin)));
        AddColumn(new MeasuredColumn("State parts", () =>
            string.Join(", ", JourneyTwinMemoryBenchmarks.StateParts.Select(p => $"{p.Key} {Kilobytes(p.Value)}"))));
    }

    private static string Kilobytes(double bytes) => $"{bytes / 1024:N1} KB";

    /// <summary>A measurement made inside the memory benchmark, shown only for it.</summary>
    private sealed class MeasuredColumn(string name, Func<string> value) : IColumn
    {
        public string Id => name;
        public string ColumnName => name;
        public bool AlwaysShow => false;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => false;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => $"{name}: retained bytes after a full GC (see the benchmark's summary)";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) =>
            benchmarkCase.Descriptor.Type == typeof(JourneyTwinMemoryBenchmarks) ? value() : "-";

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public bool IsAvailable(Summary summary) => summary.BenchmarksCases.Any(c => c.Descriptor.Type == typeof(JourneyTwinMemoryBenchmarks));
    }
}

/// <summary>Microbenchmarks: short, but with enough iterations for a stable median on busy cores.</summary>
public sealed class ShortRunConfig() : JourneyBenchmarkConfig(Job.ShortRun.WithWarmupCount(5).WithIterationCount(15));

/// <summary>Benchmarks with per-iteration setup: one invocation per iteration, one warm-up, three measured.</summary>
public sealed class OncePerIterationConfig() : JourneyBenchmarkConfig(
    Job.ShortRun.WithWarmupCount(1).WithIterationCount(3).WithInvocationCount(1).WithUnrollFactor(1).WithId("OncePerIteration"));
