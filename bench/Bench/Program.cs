using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace CareTwin.Bench;

/// <summary>
/// Runs the benchmarks named on the command line (or asks). Reports go to bench/results/, which is
/// committed: e.g. <c>dotnet run -c Release --project bench/Bench -- --filter '*Runtime*'</c>.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        var results = Path.Combine(RepositoryRoot(), "bench", "results");
        if (args is ["footprint"])
        {
            var report = Runtime.ActivationFootprint.MeasureAsync().GetAwaiter().GetResult();
            Directory.CreateDirectory(results);
            File.WriteAllText(Path.Combine(results, "runtime-footprint.md"), report);
            Console.Write(report);
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
