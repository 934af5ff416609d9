using CareTwin.Testing;

namespace CareTwin.Silo.Tests;

public sealed class HostLifecycleTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("caretwin-silo-").FullName;

    [Fact]
    public async Task The_host_starts_on_SQLite_by_default_logs_json_and_stops_cleanly_on_SIGTERM()
    {
        await using var silo = SiloProcess.Start(SiloProcess.BesideTests, _data);
        await silo.WaitUntilListeningAsync();
        using var http = new HttpClient { BaseAddress = silo.WebAddress };
        Assert.Equal("Healthy", await http.GetStringAsync("/healthz"));

        silo.Terminate();

        Assert.Equal(0, await silo.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains(silo.LogRecords("CareTwin.Grains.Hosting.StoreLifecycle"), r => r.GetProperty("Message").GetString()!.StartsWith("Silo stopped", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(_data, "caretwin.db")));
    }

    [Fact]
    public async Task An_unknown_storage_provider_is_one_clear_line_and_a_non_zero_exit()
    {
        await using var silo = SiloProcess.Start(SiloProcess.BesideTests, _data, new Dictionary<string, string> { ["Storage__Provider"] = "Oracle" });

        Assert.Equal(1, await silo.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        var error = Assert.Single(silo.Output, l => l.Contains("could not start", StringComparison.Ordinal));
        Assert.Contains("Storage:Provider 'Oracle'", error);
        Assert.DoesNotContain(silo.Output, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_database_file_that_cannot_be_created_is_one_clear_line_and_a_non_zero_exit()
    {
        var blocker = Path.Combine(_data, "not-a-directory");
        await File.WriteAllTextAsync(blocker, "a file where the data directory should be");
        await using var silo = SiloProcess.Start(SiloProcess.BesideTests, _data, new Dictionary<string, string> { ["Storage__Sqlite__DataSource"] = Path.Combine(blocker, "caretwin.db") });

        Assert.Equal(1, await silo.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Single(silo.Output, l => l.Contains("could not start", StringComparison.Ordinal));
        Assert.DoesNotContain(silo.Output, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);
}
