using CareTwin.Testing;
using System.Text.Json;
using CareTwin.Api.Tests.Infrastructure;

namespace CareTwin.Api.Tests;

/// <summary>
/// An independent client, Debian's python3-grpcio, against the adapter on real Kestrel (127.0.0.1,
/// free ports). Missing prerequisites fail these tests with the install command; they never skip.
/// </summary>
public sealed class PythonInteropTests(PythonGrpcClient python) : IClassFixture<PythonGrpcClient>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Health_check_reports_serving_and_not_found_for_an_unknown_service()
    {
        await using var host = await GrpcTestHost.StartKestrelAsync();

        var lines = await python.RunAsync("check", host.GrpcAddress);

        Assert.Equal(
            [
                "'': OK SERVING",
                "'grpc.health.v1.Health': OK SERVING",
                "'caretwin.testing.v1.Probe': OK SERVING",
                "'caretwin.v1.NoSuchService': NOT_FOUND Unknown service 'caretwin.v1.NoSuchService'.",
            ],
            lines.Select(l => $"'{Text(l, "service")}': {Text(l, "code")} {Text(l, "status") ?? Text(l, "details")}"));
    }

    [Fact]
    public async Task Health_watch_receives_not_serving_when_the_host_stops()
    {
        await using var host = await GrpcTestHost.StartKestrelAsync();
        await using var watch = await python.StartAsync("watch", host.GrpcAddress);
        Assert.Equal("SERVING", Text(await watch.NextAsync().WaitAsync(Bound), "status"));

        var stopping = host.StopAsync();

        Assert.Equal("NOT_SERVING", Text(await watch.NextAsync().WaitAsync(Bound), "status"));
        var end = await watch.NextAsync().WaitAsync(Bound);
        Assert.Equal("UNAVAILABLE", Text(end, "end"));
        Assert.Equal("The server is shutting down.", Text(end, "details"));
        await watch.ExpectSuccessAsync();
        await stopping.WaitAsync(Bound);
    }

    [Fact]
    public async Task A_deadline_that_expires_ends_with_deadline_exceeded_and_cancels_the_handler()
    {
        await using var host = await GrpcTestHost.StartKestrelAsync();

        var lines = await python.RunAsync("deadline", host.GrpcAddress, "--call-id", "py-deadline");

        Assert.Equal("DEADLINE_EXCEEDED", Text(Assert.Single(lines), "code"));
        Assert.True(host.Probe.Started("py-deadline").IsCompleted, "The call expired before its handler ran.");
        await host.Probe.Cancelled("py-deadline").WaitAsync(Bound);
    }

    [Fact]
    public async Task A_client_cancel_reaches_the_handler_token()
    {
        await using var host = await GrpcTestHost.StartKestrelAsync();

        var lines = await python.RunAsync("cancel", host.GrpcAddress, "--call-id", "py-cancel");

        Assert.Equal(1, lines[0].GetProperty("first").GetInt32());
        Assert.Equal("CANCELLED", Text(lines[1], "end"));
        await host.Probe.Cancelled("py-cancel").WaitAsync(Bound);
    }

    [Fact]
    public async Task Unknown_methods_and_services_are_unimplemented()
    {
        await using var host = await GrpcTestHost.StartKestrelAsync();

        var lines = await python.RunAsync("unimplemented", host.GrpcAddress);

        Assert.Equal(
            [
                "UNIMPLEMENTED Method 'NoSuchMethod' is not implemented by service 'caretwin.testing.v1.Probe'.",
                "UNIMPLEMENTED Service 'caretwin.v1.NoSuchService' is not implemented by this server.",
            ],
            lines.Select(l => $"{Text(l, "code")} {Text(l, "details")}"));
    }

    [Fact]
    public async Task Status_messages_arrive_decoded_and_internal_errors_say_nothing_internal()
    {
        const string detail = "Café ☕ is 100% closed\nnext line";
        await using var host = await GrpcTestHost.StartKestrelAsync();

        var lines = await python.RunAsync("errors", host.GrpcAddress, "--detail", detail);

        Assert.Equal("FAILED_PRECONDITION", Text(lines[0], "code"));
        Assert.Equal(detail, Text(lines[0], "details"));
        Assert.Equal("INTERNAL", Text(lines[1], "code"));
        Assert.StartsWith("An internal error occurred (trace id ", Text(lines[1], "details"));
        Assert.DoesNotContain("hunter2", Text(lines[1], "details"));
    }

    [Fact]
    public async Task Unary_and_server_streaming_calls_carry_metadata_peer_and_messages()
    {
        await using var host = await GrpcTestHost.StartKestrelAsync();

        var lines = await python.RunAsync("echo", host.GrpcAddress);

        Assert.Equal("héllo", Text(lines[0], "text"));
        Assert.Equal("interop-key", Text(lines[0], "header_value"));
        Assert.Matches(@"^ipv4:127\.0\.0\.1:\d+$", Text(lines[0], "peer"));
        Assert.True(lines[0].GetProperty("has_deadline").GetBoolean());
        Assert.Equal([1, 2, 3], lines[1].GetProperty("ticks").EnumerateArray().Select(t => t.GetInt32()));
    }

    [Fact]
    public async Task Health_check_works_over_tls()
    {
        using var certificate = new TestCertificate();
        await using var host = await GrpcTestHost.StartKestrelAsync(new Dictionary<string, string?>
        {
            ["Grpc:CertificatePath"] = certificate.PfxPath,
            ["Grpc:CertificatePassword"] = TestCertificate.Password,
        });

        var lines = await python.RunAsync("check", host.GrpcAddress, "--tls-ca", certificate.PemPath, "--tls-name", "localhost");

        Assert.Equal("SERVING", Text(lines[0], "status"));
        Assert.Equal("NOT_FOUND", Text(lines[3], "code"));
    }

    private static string? Text(JsonElement line, string name) =>
        line.TryGetProperty(name, out var value) ? value.GetString() : null;
}
