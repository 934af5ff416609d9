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
        var config = DefaultConfig.Instance.WithArtifactsPath(results).WithOptions(ConfigOptions.JoinSummary);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CareTwin.sln"))) directory = directory.Parent;
        return directory?.FullName ?? Directory.GetCurrentDirectory();
    }
}
