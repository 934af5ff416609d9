using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace CareTwin.Bench;

/// <summary>
/// Runs the benchmarks named on the command line (or asks). Reports go to bench/results/, which is
/// committed: e.g. <c>dotnet run -c Release --project bench/Bench -- --filter '*Runtime*'</c>. Three runs are
/// commands instead: <c>footprint</c> (memory per activation), <c>storage [seconds]</c> (durable events/s) and
/// <c>forecast [seed] [synthetic children] [demo children]</c> (the ready-date forecast backtest, forecast-backtest.md)
/// and <c>views [children...]</c> (what one write of a board and a service ledger costs, view-writes.md).
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        var results = Path.Combine(RepositoryRoot(), "bench", "results");
        void Write(string file, string report)
        {
            Directory.CreateDirectory(results);
            File.WriteAllText(Path.Combine(results, file), report);
            Console.Write(report);
        }
        switch (args)
        {
            case ["footprint"]:
                Write("runtime-footprint.md", Runtime.ActivationFootprint.MeasureAsync().GetAwaiter().GetResult());
                return;
            case ["forecast", .. var options]:
                int Arg(int i, int fallback) => options.Length > i ? int.Parse(options[i], System.Globalization.CultureInfo.InvariantCulture) : fallback;
                Write("forecast-backtest.md", Forecast.ForecastBacktest.Run(seed: Arg(0, 17), syntheticChildren: Arg(1, 600), demoChildren: Arg(2, 600)));
                return;
            case ["views", .. var counts]:
                Write("view-writes.md", Views.ViewWrites.Run(counts.Length == 0 ? [2_000, 10_000, 25_000, 100_000] : [.. counts.Select(c => int.Parse(c, System.Globalization.CultureInfo.InvariantCulture))]));
                return;
            case ["storage", .. var rest]:
                var seconds = rest is [var given] ? double.Parse(given, System.Globalization.CultureInfo.InvariantCulture) : 10;
                Write("storage.md", Storage.StorageThroughput.MeasureAsync(TimeSpan.FromSeconds(seconds)).GetAwaiter().GetResult());
                return;
        }
        var artifacts = Path.Combine(RepositoryRoot(), "BenchmarkDotNet.Artifacts");
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, DefaultConfig.Instance.WithArtifactsPath(artifacts));
        // Keep the readable reports in the repository; the rest of BenchmarkDotNet's artifacts stay ignored.
        Directory.CreateDirectory(results);
        foreach (var summary in summaries)
            foreach (var report in Directory.GetFiles(summary.ResultsDirectoryPath, "*-report-github.md"))
                File.Copy(report, Path.Combine(results, Path.GetFileName(report).Replace("-report-github", "")), overwrite: true);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CareTwin.sln"))) directory = directory.Parent;
        return directory?.FullName ?? Directory.GetCurrentDirectory();
    }
}
