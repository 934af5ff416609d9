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
    private readonly string? _port;

    public PostgresServer()
        : this(ConnectionStringVariable)
    {
    }

    // Private: xunit wants a fixture with one public constructor.
    private PostgresServer(string? connectionStringVariable)
    {
        var given = connectionStringVariable is null ? null : Environment.GetEnvironmentVariable(connectionStringVariable);
        if (!string.IsNullOrWhiteSpace(given))
        {
            ConnectionString = given;
            return;
        }
        _directory = Directory.CreateTempSubdirectory("caretwin-pg-").FullName;
        _port = LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture);
        try
        {
            ConnectionString = RunScript("start-postgres.sh", _directory, _port).Trim();
        }
        catch
        {
            Directory.Delete(_directory, recursive: true);
            throw;
        }
    }

    /// <summary>The server <paramref name="connectionStringVariable"/> names, or else a private one (the benchmarks' own variable).</summary>
    public static PostgresServer Start(string connectionStringVariable) => new(connectionStringVariable);

    /// <summary>Always a private server of this test's own, which <see cref="Stop"/> and <see cref="StartAgain"/> can take away and bring back.</summary>
    public static PostgresServer StartPrivate() => new(null);

    /// <summary>Stops the private server, as a database outage would.</summary>
    public void Stop() => RunScript("stop-postgres.sh", _directory ?? throw new InvalidOperationException("Only a private server can be stopped."));

    /// <summary>Starts the stopped private server again, on the same port with the same data.</summary>
    public void StartAgain()
    {
        RunScript("start-postgres.sh", _directory ?? throw new InvalidOperationException("Only a private server can be started."), _port!);
        NpgsqlConnection.ClearAllPools(); // this process's pooled connections died with the server
    }

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
