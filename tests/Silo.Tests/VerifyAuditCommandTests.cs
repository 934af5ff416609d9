using System.Diagnostics;
using System.Security.Cryptography;
using CareTwin.Storage;
using CareTwin.Storage.Postgres;
using CareTwin.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CareTwin.Silo.Tests;

/// <summary>
/// <c>CareTwin.Silo verify-audit</c> as an operator runs it: the real host program as a process, on the store a real
/// host wrote. Its exit code says intact (0), broken (2) or cannot check (3); each broken journal is one line; it
/// changes nothing and starts nothing.
/// </summary>
public sealed class VerifyAuditCommandTests : IDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(3);

    private readonly string _data = Directory.CreateTempSubdirectory("caretwin-verify-").FullName;

    private string Database => Path.Combine(_data, "caretwin.db");

    [Fact]
    public async Task A_hosts_SQLite_store_checks_intact_while_it_runs_and_after_and_an_audit_row_edited_by_hand_is_one_clear_line_and_exit_2()
    {
        await using (var silo = SiloProcess.Start(SiloProcess.BesideTests, _data, new Dictionary<string, string>
        {
            ["Demo__Enabled"] = "true",
            ["Demo__Children"] = "3",
            ["Api__DemoKeysFile"] = Path.Combine(_data, "demo-api-keys.json"),
        }))
        {
            // Generous: this 2-core machine is shared, and a loaded one takes minutes to start a host.
            await silo.WaitUntilListeningAsync(StartLimit);
            await silo.WaitUntilDemoRegionLoadedAsync(StartLimit);
            // Two reads of a child over REST: two entries in its audit trail (allowed or refused, both are audited).
            using var http = new HttpClient { BaseAddress = silo.WebAddress };
            http.DefaultRequestHeaders.Add("x-api-key", DemoApiKey());
            for (var i = 0; i < 2; i++) (await http.GetAsync("/v1/children/demo-0001")).Dispose();

            var running = await RunAsync();
            Assert.Equal(0, running.ExitCode);
            Assert.Matches(@"^verify-audit: intact: all \d+ journals \([\d,]+ entries\) in SQLite ", Assert.Single(running.Lines));

            Assert.Equal(0, await silo.StopAsync(StartLimit));
        }
        var stopped = await RunAsync();
        Assert.Equal(0, stopped.ExitCode);
        Assert.Equal(2, ScalarInSqlite("SELECT COUNT(*) FROM journal_entry WHERE grain_type = 'audit' AND grain_key = 'child/demo-0001'"));

        // Someone with the file rewrites who looked at the record.
        Assert.Equal(1, ExecuteInSqlite("UPDATE journal_entry SET payload = replace(payload, '\"rest\"', '\"page\"') WHERE grain_type = 'audit' AND grain_key = 'child/demo-0001' AND version = 2 AND payload LIKE '%\"rest\"%'"));
        var files = Directory.GetFiles(_data).Order().ToArray();
        var bytes = SHA256.HashData(await File.ReadAllBytesAsync(Database));

        var tampered = await RunAsync();

        Assert.Equal(2, tampered.ExitCode);
        Assert.Equal(
            "verify-audit: BROKEN audit trail of child demo-0001, entry 2: hash mismatch: entry 2 is not as it was written: the entry or its stored hash "
            + "was changed (or entry 1 was rewritten together with its hash) (record audit/child/demo-0001)",
            Assert.Single(tampered.Lines, l => l.Contains("BROKEN audit trail", StringComparison.Ordinal)));
        Assert.Contains("verify-audit: hash mismatch: 1 journal", tampered.Lines);
        Assert.Matches(@"^verify-audit: BROKEN: 1 of \d+ journals", tampered.Lines[^1]);
        Assert.Equal(3, tampered.Lines.Count);
        // Nothing changed: the file is as it was, and no -wal or -shm file was left beside it.
        Assert.Equal(bytes, SHA256.HashData(await File.ReadAllBytesAsync(Database)));
        Assert.Equal(files, Directory.GetFiles(_data).Order().ToArray());

        // A deleted child journal entry is a missing link, reported besides.
        ExecuteInSqlite("DELETE FROM journal_entry WHERE grain_type = 'child' AND grain_key = 'demo-0002' AND version = 2");
        var twice = await RunAsync();
        Assert.Equal(2, twice.ExitCode);
        Assert.Contains(twice.Lines, l => l.StartsWith("verify-audit: BROKEN journal of child demo-0002, entry 2: missing link: entry 2 is missing", StringComparison.Ordinal));
        Assert.Contains("verify-audit: missing link: 1 journal", twice.Lines);
    }

    [Fact]
    public async Task A_missing_database_cannot_be_checked_exit_3_with_one_line_and_none_is_created()
    {
        var result = await RunAsync();

        Assert.Equal(3, result.ExitCode);
        Assert.Equal($"verify-audit: cannot check: There is no SQLite database at {Database}: nothing to check (is Storage:Sqlite:DataSource right?).", Assert.Single(result.Lines));
        Assert.Empty(Directory.GetFiles(_data));
    }

    [Fact]
    public async Task A_PostgreSQL_server_it_cannot_reach_is_exit_3_and_one_line_without_the_password()
    {
        var port = LoopbackPorts.Free();

        var result = await RunAsync(new Dictionary<string, string>
        {
            ["Storage__Provider"] = "Postgres",
            ["Storage__Postgres__ConnectionString"] = $"Host=127.0.0.1;Port={port};Database=caretwin;Username=caretwin;Password=secret-pw;Timeout=5",
        });

        Assert.Equal(3, result.ExitCode);
        Assert.StartsWith($"verify-audit: cannot check: Cannot connect to PostgreSQL at 127.0.0.1:{port}/caretwin as caretwin: ", Assert.Single(result.Lines));
        Assert.DoesNotContain("secret-pw", result.Lines[0]);
    }

    [Fact]
    public async Task A_wrong_setting_is_exit_1_with_one_line()
    {
        var result = await RunAsync(new Dictionary<string, string> { ["Storage__Provider"] = "Oracle" });

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("verify-audit: Storage:Provider 'Oracle' is not known; use Sqlite or Postgres.", Assert.Single(result.Lines));
    }

    private string DemoApiKey()
    {
        using var keys = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(_data, "demo-api-keys.json")));
        return keys.RootElement.GetProperty("keys")[0].GetProperty("key").GetString()!;
    }

    private int ExecuteInSqlite(string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Database, Pooling = false }.ToString());
        connection.Open();
        using var command = new SqliteCommand(sql, connection);
        return command.ExecuteNonQuery();
    }

    private long ScalarInSqlite(string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Database, Pooling = false, Mode = SqliteOpenMode.ReadOnly }.ToString());
        connection.Open();
        using var command = new SqliteCommand(sql, connection);
        return (long)command.ExecuteScalar()!;
    }

    private Task<CommandResult> RunAsync(IReadOnlyDictionary<string, string>? settings = null) =>
        VerifyAudit.RunAsync(_data, new Dictionary<string, string>(settings ?? new Dictionary<string, string>()) { ["Storage__Sqlite__DataSource"] = Database });

    public void Dispose() => Directory.Delete(_data, recursive: true);
}

/// <summary>The same command over a PostgreSQL store, a row edited there with plain SQL.</summary>
public sealed class VerifyAuditOnPostgresTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task A_row_edited_in_PostgreSQL_is_one_clear_line_and_exit_2_and_intact_is_exit_0()
    {
        await using var schema = await postgres.CreateSchemaAsync();
        var trail = new RecordKey("audit", "child/c-0042");
        await using (var store = new PostgresStorageProvider(new PostgresStorageOptions { ConnectionString = schema.ConnectionString }))
        {
            await store.InitializeAsync(CancellationToken.None);
            await store.AppendAsync(trail, 0, [new JournalEntry(1, """{"Channel":"grpc"}"""), new JournalEntry(2, """{"Channel":"page"}""")], CancellationToken.None);
            await store.AppendAsync(trail, 2, [new JournalEntry(3, """{"Channel":"hub"}""")], CancellationToken.None);
        }
        var settings = new Dictionary<string, string>
        {
            ["Storage__Provider"] = "Postgres",
            ["Storage__Postgres__ConnectionString"] = schema.ConnectionString,
        };
        var directory = Directory.CreateTempSubdirectory("caretwin-verify-").FullName;
        try
        {
            var intact = await VerifyAudit.RunAsync(directory, settings);
            Assert.Equal(0, intact.ExitCode);
            Assert.StartsWith("verify-audit: intact: all 1 journal (3 entries) in PostgreSQL 127.0.0.1:", Assert.Single(intact.Lines));

            await using (var connection = new NpgsqlConnection(schema.ConnectionString))
            {
                await connection.OpenAsync();
                await using var edit = new NpgsqlCommand("UPDATE journal SET payload = '{\"Channel\":\"rest\"}' WHERE grain_type = 'audit' AND grain_key = 'child/c-0042' AND version = 1", connection);
                Assert.Equal(1, await edit.ExecuteNonQueryAsync());
            }
            var tampered = await VerifyAudit.RunAsync(directory, settings);

            Assert.Equal(2, tampered.ExitCode);
            Assert.StartsWith("verify-audit: BROKEN audit trail of child c-0042, entry 1: hash mismatch: ", tampered.Lines[0]);
            Assert.Equal(3, tampered.Lines.Count);
            Assert.Empty(Directory.GetFiles(directory));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

internal sealed record CommandResult(int ExitCode, IReadOnlyList<string> Lines);

/// <summary>Runs <c>dotnet CareTwin.Silo.dll verify-audit</c> built beside the tests, in Production, with only the given settings.</summary>
internal static class VerifyAudit
{
    public static async Task<CommandResult> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string> settings)
    {
        var start = new ProcessStartInfo("dotnet", [SiloProcess.BesideTests, "verify-audit"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in settings) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(limit.Token);
        var lines = ((await output) + (await errors)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new CommandResult(process.ExitCode, lines);
    }
}
