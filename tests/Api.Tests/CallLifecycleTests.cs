using CareTwin.Testing;
using CareTwin.Api.Grpc;
using CareTwin.Api.Tests.Infrastructure;
using CareTwin.Api.Tests.Probe;
using Google.Protobuf;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace CareTwin.Api.Tests;

/// <summary>
/// Deadlines, client cancels and shutdown, in memory and over real Kestrel h2c. Deadlines run on a
/// manual clock advanced once the handler runs; waits are bounded by <see cref="Bound"/> so a broken
/// adapter fails the test instead of hanging it.
/// </summary>
public sealed class CallLifecycleTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    public static TheoryData<bool> Transports => new() { false, true };

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task The_deadline_ends_the_call_with_deadline_exceeded_and_cancels_the_handler_token(bool kestrel)
    {
        var clock = new ManualTimeProvider();
        await using var host = await StartAsync(kestrel, clock);
        using var client = host.CreateGrpcClient();
        var request = RawGrpcClient.Request("/caretwin.testing.v1.Probe/Sleep", GrpcChannel.Frame(new SleepRequest { CallId = "deadline" }));
        request.Headers.Add("grpc-timeout", "5S");

        var call = client.SendAsync(request);
        await host.Probe.Started("deadline").WaitAsync(Bound);
        clock.Advance(TimeSpan.FromSeconds(5));
        var response = await call.WaitAsync(Bound);

        Assert.Equal(StatusCode.DeadlineExceeded, response.Status);
        Assert.True(response.TrailersOnly);
        await host.Probe.Cancelled("deadline").WaitAsync(Bound);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task A_deadline_after_streamed_messages_comes_in_the_trailers(bool kestrel)
    {
        var clock = new ManualTimeProvider();
        await using var host = await StartAsync(kestrel, clock);
        using var client = host.CreateGrpcClient();
        var request = RawGrpcClient.Request("/caretwin.testing.v1.Probe/Ticks", GrpcChannel.Frame(new TicksRequest { CallId = "stream-deadline", Count = 2, Hold = true }));
        request.Headers.Add("grpc-timeout", "5S");

        var call = client.SendAsync(request);
        await host.Probe.Started("stream-deadline").WaitAsync(Bound);
        clock.Advance(TimeSpan.FromSeconds(5));
        var response = await call.WaitAsync(Bound);

        Assert.Equal(2, response.Messages.Count);
        Assert.Equal(StatusCode.DeadlineExceeded, response.Status);
        Assert.True(response.Trailers.Contains("grpc-status"));
        await host.Probe.Cancelled("stream-deadline").WaitAsync(Bound);
    }

    [Fact]
    public async Task The_handler_sees_the_deadline_and_the_peer()
    {
        await using var host = await StartAsync(kestrel: true);
        using var client = host.CreateGrpcClient();

        var response = await client.UnaryAsync("/caretwin.testing.v1.Probe/Echo", new EchoRequest(), request => request.Headers.Add("grpc-timeout", "10S"));

        var reply = response.Single(EchoReply.Parser);
        Assert.True(reply.HasDeadline);
        Assert.Matches(@"^ipv4:127\.0\.0\.1:\d+$", reply.Peer);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task A_client_cancel_reaches_the_handler_token(bool kestrel)
    {
        await using var host = await StartAsync(kestrel);
        using var client = host.CreateGrpcClient();
        var stream = await client.OpenStreamAsync(
            RawGrpcClient.Request("/caretwin.testing.v1.Probe/Ticks", GrpcChannel.Frame(new TicksRequest { CallId = "cancel", Count = 1, Hold = true })));

        Assert.NotNull(await stream.ReadMessageAsync().WaitAsync(Bound));
        stream.Dispose(); // resets the stream (RST_STREAM over HTTP/2)

        await host.Probe.Cancelled("cancel").WaitAsync(Bound);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Shutdown_turns_health_not_serving_for_watchers_then_ends_calls_with_unavailable(bool kestrel)
    {
        await using var host = await StartAsync(kestrel);
        using var client = host.CreateGrpcClient();
        using var watch = await client.OpenStreamAsync(
            RawGrpcClient.Request("/grpc.health.v1.Health/Watch", GrpcChannel.Frame(new HealthCheckRequest())));
        using var ticks = await client.OpenStreamAsync(
            RawGrpcClient.Request("/caretwin.testing.v1.Probe/Ticks", GrpcChannel.Frame(new TicksRequest { CallId = "shutdown", Count = 1, Hold = true })));
        Assert.Equal(ServingStatus.Serving, HealthCheckResponse.Parser.ParseFrom(await watch.ReadMessageAsync().WaitAsync(Bound)).Status);
        Assert.NotNull(await ticks.ReadMessageAsync().WaitAsync(Bound));

        var stopping = host.StopAsync();

        Assert.Equal(ServingStatus.NotServing, HealthCheckResponse.Parser.ParseFrom(await watch.ReadMessageAsync().WaitAsync(Bound)).Status);
        Assert.Null(await watch.ReadMessageAsync().WaitAsync(Bound));
        Assert.Null(await ticks.ReadMessageAsync().WaitAsync(Bound));
        await stopping.WaitAsync(Bound);
        foreach (var ended in new[] { watch, ticks })
        {
            Assert.Equal("14", Assert.Single(ended.Response.TrailingHeaders.GetValues("grpc-status")));
            Assert.Equal("The server is shutting down.", Assert.Single(ended.Response.TrailingHeaders.GetValues("grpc-message")));
        }

        await host.Probe.Cancelled("shutdown").WaitAsync(Bound);
    }

    [Fact]
    public async Task A_call_that_arrives_while_the_host_is_stopping_is_refused_with_unavailable()
    {
        await using var host = await StartAsync(kestrel: false);
        using var client = host.CreateGrpcClient();

        // ApplicationStopping without stopping the server: the window between the two during a real shutdown.
        host.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
        var response = await client.UnaryAsync("/caretwin.testing.v1.Probe/Echo", new EchoRequest());

        Assert.Equal(StatusCode.Unavailable, response.Status);
        Assert.True(response.TrailersOnly);
    }

    private static Task<GrpcTestHost> StartAsync(bool kestrel, TimeProvider? time = null) =>
        kestrel ? GrpcTestHost.StartKestrelAsync(time: time) : GrpcTestHost.StartInMemoryAsync(time: time);
}
