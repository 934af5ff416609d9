using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using CareTwin.Bench.Runtime;
using CareTwin.Storage.Postgres;
using CareTwin.Storage.Sqlite;
using CareTwin.Testing;
using Npgsql;

namespace CareTwin.Bench.Storage;

/// <summary>
/// Durable events/s with 1, 10 and 100 twins writing at once, on SQLite (a temporary file) and PostgreSQL (the server
/// <c>CARETWIN_BENCH_POSTGRES</c> names, else a private one from deploy/dev/start-postgres.sh, stopped after).
/// Target ≥ 10,000 durable events/s with group commit. A timed load run rather than BenchmarkDotNet, because what
/// matters is aggregate throughput under concurrency and the tail of acknowledgement latency, which
/// BenchmarkDotNet's per-invocation mean does not give.
/// Run: <c>dotnet run -c Release --project bench/Bench -- storage [seconds per run, default 10]</c>.
/// </summary>
public static class StorageThroughput
{
    public const string PostgresVariable = "CARETWIN_BENCH_POSTGRES";
    private const double Target = 10_000;
    private static readonly int[] Concurrency = [1, 10, 100];
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(2);

    public static async Task<string> MeasureAsync(TimeSpan window)
    {
        var results = new List<LoadResult>();
        var directory = Directory.CreateTempSubdirectory("caretwin-bench-");
        TimeSpan syncFloor;
        string postgresSettings;
        try
        {
            syncFloor = MedianFdatasync(directory.FullName);
            foreach (var twins in Concurrency)
            {
                // A fresh file per run, so a run never reads what the previous one wrote.
                var sqlite = new SqliteStorageProvider(new SqliteStorageOptions { DataSource = Path.Combine(directory.FullName, $"twins-{twins}.db") });
                var target = new LoadTarget("SQLite", sqlite, () => sqlite.CommittedBatches, () => Task.FromResult<IReadOnlyList<int>>([]));
                results.Add(await Report(DurableEventLoad.RunAsync(target, twins, WarmUp, window)));
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }

        using (var server = PostgresServer.Start(PostgresVariable))
        {
            postgresSettings = await DurabilitySettingsAsync(server.ConnectionString);
            foreach (var twins in Concurrency)
            {
                await using var schema = await server.CreateSchemaAsync();
                var postgres = new PostgresStorageProvider(new PostgresStorageOptions { ConnectionString = schema.ConnectionString });
                var target = new LoadTarget("PostgreSQL", postgres, () => postgres.CommittedBatches, () => BackendsAsync(server.ConnectionString));
                results.Add(await Report(DurableEventLoad.RunAsync(target, twins, WarmUp, window)));
            }
        }
        return Render(results, window, syncFloor, postgresSettings);
    }

    private static async Task<LoadResult> Report(Task<LoadResult> run)
    {
        var result = await run;
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{result.Store,-10} {result.Twins,3} twins: {result.EventsPerSecond,8:N0} events/s, p50 {Ms(result.P50)}, p99 {Ms(result.P99)}"));
        return result;
    }

    /// <summary>
    /// The floor under one commit on this disk: rewriting a 4 KiB block in place and fdatasync-ing it, as SQLite's WAL
    /// and PostgreSQL (wal_sync_method=fdatasync, preallocated WAL segments) do at COMMIT.
    /// </summary>
    private static TimeSpan MedianFdatasync(string directory)
    {
        var block = new byte[4096];
        var samples = new TimeSpan[200];
        using var file = new FileStream(Path.Combine(directory, "fdatasync-probe"), FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1);
        file.Write(block);
        file.Flush(flushToDisk: true);
        var descriptor = (int)file.SafeFileHandle.DangerousGetHandle();
        for (var i = 0; i < samples.Length; i++)
        {
            var start = Stopwatch.GetTimestamp();
            RandomAccess.Write(file.SafeFileHandle, block, fileOffset: 0);
            if (fdatasync(descriptor) != 0) throw new IOException($"fdatasync failed with errno {Marshal.GetLastPInvokeError()}.");
            samples[i] = Stopwatch.GetElapsedTime(start);
        }
        Array.Sort(samples);
        return samples[samples.Length / 2];
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int fdatasync(int descriptor);

    /// <summary>The server processes serving the store's connections (named CareTwin); on another machine they are not in /proc and count as unknown.</summary>
    private static async Task<IReadOnlyList<int>> BackendsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'CareTwin' AND pid <> pg_backend_pid()", connection);
        await using var rows = await command.ExecuteReaderAsync();
        var pids = new List<int>();
        while (await rows.ReadAsync()) pids.Add(rows.GetInt32(0));
        return pids;
    }

    /// <summary>The server settings that decide whether COMMIT waits for the disk, so the report shows the runs were durable.</summary>
    private static async Task<string> DurabilitySettingsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT current_setting('server_version'), current_setting('fsync'), current_setting('synchronous_commit'), current_setting('wal_sync_method')", connection);
        await using var row = await command.ExecuteReaderAsync();
        await row.ReadAsync();
        return $"PostgreSQL {row.GetString(0)}, fsync={row.GetString(1)}, synchronous_commit={row.GetString(2)}, wal_sync_method={row.GetString(3)}";
    }

    private static string Render(IReadOnlyList<LoadResult> results, TimeSpan window, TimeSpan syncFloor, string postgresSettings)
    {
        var text = new StringBuilder();
        void Line(FormattableString line) => text.AppendLine(line.ToString(CultureInfo.InvariantCulture));

        Line($"# Durable events per second");
        Line($"");
        Line($"Measured {DateTime.UtcNow:yyyy-MM-dd} on {Environment.ProcessorCount} cores, .NET {Environment.Version}, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at the end (the machine is shared).");
        Line($"Written by `dotnet run -c Release --project bench/Bench -- storage`.");
        Line($"");
        Line($"## Method");
        Line($"");
        Line($"N callers each drive their own twin (a `JournaledGrain`, `bench/Bench/Storage/LoadTwinGrain.cs`) with awaited calls back to back;");
        Line($"each call raises one event (~150 bytes of JSON) and awaits `ConfirmEvents`, so it returns only after the event is committed.");
        Line($"The host is an Orleans {BenchHost.OrleansVersion} silo composed as CareTwin's host composes it, over the real store (`BenchHost`: custom-storage log consistency over CareTwin's journal, default group commit batch of 512, a snapshot every {new CareTwin.Grains.Persistence.JournalOptions().SnapshotInterval} events).");
        Line($"After {WarmUp.TotalSeconds:N0} s of warm-up, the calls sent and acknowledged within {window.TotalSeconds:N0} s count; latency is from the call to its acknowledgement.");
        Line($"Each run starts on an empty store: SQLite a new file on the local disk (WAL, synchronous=FULL), PostgreSQL a new schema on a private");
        Line($"server on the same machine ({postgresSettings}).");
        Line($"Rewriting a 4 KiB block in place and fdatasync-ing it takes {Ms(syncFloor)} on this disk (median of 200): the floor under any commit.");
        Line($"");
        Line($"## Results");
        Line($"");
        Line($"| store | twins | durable events/s | p50 ack | p99 ack | max ack | events per commit |");
        Line($"|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
            Line($"| {r.Store} | {r.Twins} | {r.EventsPerSecond:N0} | {Ms(r.P50)} | {Ms(r.P99)} | {Ms(r.Max)} | {r.EventsPerCommit:N1} |");
        Line($"");
        Line($"Events per commit is events ÷ group commits in the window (snapshot writes share those commits too).");
        Line($"");
        Line($"## CPU per event, and share of one core");
        Line($"");
        Line($"From /proc over the window. *SQLite writer* is the one thread that runs every SQLite commit; the *thread pool* runs grain calls,");
        Line($"event serialization and (for PostgreSQL) the Npgsql writer; *PostgreSQL backends* are the server processes of the store's connections;");
        Line($"*machine* is all {Environment.ProcessorCount} cores, including anything else running.");
        Line($"");
        Line($"| store | twins | SQLite writer | thread pool | other threads | PostgreSQL backends | machine busy |");
        Line($"|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
            Line($"| {r.Store} | {r.Twins} | {Cpu(r, r.Cpu.Writer)} | {Cpu(r, r.Cpu.Pool)} | {Cpu(r, r.Cpu.OtherThreads)} | {(r.Cpu.Server is { } server ? Cpu(r, server) : "–")} | {r.Cpu.MachineBusy:P0} |");
        Line($"");
        Line($"## Target: ≥ {Target:N0} durable events/s");
        Line($"");
        foreach (var store in results.GroupBy(r => r.Store))
        {
            var best = store.MaxBy(r => r.EventsPerSecond)!;
            Line($"- {store.Key}: best {best.EventsPerSecond:N0} events/s with {best.Twins} twins: **{(best.EventsPerSecond >= Target ? "met" : "not met")}**.");
        }
        return text.ToString();
    }

    private static string Cpu(LoadResult result, TimeSpan cpu) =>
        cpu == TimeSpan.Zero ? "–" : string.Create(CultureInfo.InvariantCulture, $"{result.PerEvent(cpu):N1} µs ({result.OfOneCore(cpu):P0})");

    private static string Ms(TimeSpan value) => value.TotalMilliseconds.ToString("N2", CultureInfo.InvariantCulture) + " ms";
}
