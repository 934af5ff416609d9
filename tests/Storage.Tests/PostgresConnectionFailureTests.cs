using System.Net;
using System.Net.Sockets;
using CareTwin.Storage.Postgres;

namespace CareTwin.Storage.Tests;

/// <summary>A host pointed at a PostgreSQL it cannot reach stops with one clear line, after one attempt. No server needed.</summary>
public sealed class PostgresConnectionFailureTests
{
    private static PostgresStorageProvider Provider(int port) =>
        new(new PostgresStorageOptions { ConnectionString = $"Host=127.0.0.1;Port={port};Database=caretwin;Username=caretwin;Password=secret-pw" });

    [Fact]
    public async Task A_port_nobody_listens_on_fails_start_with_one_clear_line_without_the_password()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        await using var provider = Provider(port);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => provider.InitializeAsync(CancellationToken.None));

        Assert.StartsWith($"Cannot connect to PostgreSQL at 127.0.0.1:{port}/caretwin as caretwin: ", error.Message);
        Assert.Contains("refused", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secret-pw", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task A_server_that_hangs_up_gets_one_connect_not_a_retry_storm()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var stop = new CancellationTokenSource();
        var attempts = 0;
        var hangingUp = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var client = await listener.AcceptTcpClientAsync(stop.Token);
                Interlocked.Increment(ref attempts);
            }
        });
        await using var provider = Provider(((IPEndPoint)listener.LocalEndpoint).Port);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => provider.InitializeAsync(CancellationToken.None));
        await Task.Delay(300);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => hangingUp);

        // One connect; Npgsql's encryption negotiation (GSS, then plain) may reconnect once within it, as libpq does.
        Assert.InRange(attempts, 1, 2);
        Assert.StartsWith("Cannot connect to PostgreSQL at 127.0.0.1:", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_malformed_connection_string_is_refused_without_echoing_it()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new PostgresStorageProvider(new PostgresStorageOptions { ConnectionString = "Host=db;Pasword=secret-pw" }));

        Assert.Contains("not valid", error.Message);
        Assert.DoesNotContain("secret-pw", error.Message);
    }
}
