using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace CareTwin.Testing;

/// <summary>
/// PostgreSQL for a test run: the server <c>CARETWIN_TEST_POSTGRES</c> names (a connection string), or else a
/// private one that deploy/dev/start-postgres.sh starts on a free 127.0.0.1 port in a temporary directory and
/// deploy/dev/stop-postgres.sh stops on dispose. Tests are isolated by schemas, not servers, so one server serves
/// the whole run. Missing PostgreSQL binaries fail the tests with the script's message; they are never skipped.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    public const string ConnectionStringVariable = "CARETWIN_TEST_POSTGRES";

    private readonly string? _directory;

    public PostgresServer()
        : this(ConnectionStringVariable)
    {
    }

    // Private: xunit wants a fixture with one public constructor.
    private PostgresServer(string connectionStringVariable)
    {
        var given = Environment.GetEnvironmentVariable(connectionStringVariable);
        if (!string.IsNullOrWhiteSpace(given))
        {
            ConnectionString = given;
            return;
        }
        _directory = Directory.CreateTempSubdirectory("caretwin-pg-").FullName;
        try
        {
            ConnectionString = RunScript("start-postgres.sh", _directory, LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture)).Trim();
        }
        catch
        {
            Directory.Delete(_directory, recursive: true);
            throw;
        }
    }

    /// <summary>The server <paramref name="connectionStringVariable"/> names, or else a private one (the benchmarks' own variable).</summary>
    public static PostgresServer Start(string connectionStringVariable) => new(connectionStringVariable);

    /// <summary>The server's CareTwin database, as a role that owns it.</summary>
    public string ConnectionString { get; }

    /// <summary>A new empty schema that only the returned store's connection string searches.</summary>
    public async Task<PostgresSchema> CreateSchemaAsync()
    {
        var name = "t_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE SCHEMA {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        var scoped = new NpgsqlConnectionStringBuilder(ConnectionString) { SearchPath = name }.ConnectionString;
        return new PostgresSchema(this, name, scoped);
    }

    internal async Task DropSchemaAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {name} CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
    }

    public void Dispose()
    {
        if (_directory is null) return;
        try
        {
            RunScript("stop-postgres.sh", _directory);
        }
        finally
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static string RunScript(string script, params string[] arguments)
    {
        var path = Path.Combine(Repository.Root, "deploy", "dev", script);
        var info = new ProcessStartInfo("bash", [path, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"bash did not start {path}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"deploy/dev/{script} did not finish within 2 minutes.");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"deploy/dev/{script} failed (exit {process.ExitCode}): {stderr.Result.Trim()}");
        return stdout.Result;
    }
}

/// <summary>One test's schema on a <see cref="PostgresServer"/>; dropped on dispose.</summary>
public sealed class PostgresSchema(PostgresServer server, string name, string connectionString) : IAsyncDisposable
{
    public string Name => name;

    /// <summary>Connects with search_path set to this schema alone.</summary>
    public string ConnectionString => connectionString;

    public ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearPool(new NpgsqlConnection(connectionString));
        return new ValueTask(server.DropSchemaAsync(name));
    }
}
