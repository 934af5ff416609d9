using CareTwin.Testing;
using CareTwin.Api.Grpc;
using CareTwin.Api.Health;
using CareTwin.Api.Tests.Infrastructure;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace CareTwin.Api.Tests;

public sealed class HealthServiceTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private GrpcTestHost _host = null!;
    private RawGrpcClient _client = null!;

    private HealthStatusRegistry Registry => _host.Services.GetRequiredService<HealthStatusRegistry>();

    public async Task InitializeAsync()
    {
        _host = await GrpcTestHost.StartInMemoryAsync();
        _client = _host.CreateGrpcClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    [Theory]
    [InlineData("")]
    [InlineData("grpc.health.v1.Health")]
    [InlineData("caretwin.testing.v1.Probe")]
    public async Task Check_reports_serving_for_the_server_and_every_bound_service(string service)
    {
        var response = await CheckAsync(service);

        Assert.Equal(StatusCode.OK, response.Status);
        Assert.Equal(ServingStatus.Serving, response.Single(HealthCheckResponse.Parser).Status);
    }

    [Fact]
    public async Task Check_of_an_unknown_service_ends_with_not_found()
    {
        var response = await CheckAsync("caretwin.v1.NoSuchService");

        Assert.Equal(StatusCode.NotFound, response.Status);
        Assert.Equal("Unknown service 'caretwin.v1.NoSuchService'.", response.Message);
    }

    [Fact]
    public async Task Check_reports_a_status_set_in_the_registry()
    {
        Registry.Set("caretwin.testing.v1.Probe", ServingStatus.NotServing);

        var response = await CheckAsync("caretwin.testing.v1.Probe");

        Assert.Equal(ServingStatus.NotServing, response.Single(HealthCheckResponse.Parser).Status);
    }

    [Fact]
    public async Task Watch_of_an_unknown_service_reports_service_unknown_then_follows_it_once_known()
    {
        using var watch = await WatchAsync("caretwin.v1.Later");

        Assert.Equal(ServingStatus.ServiceUnknown, await NextAsync(watch));
        Registry.Set("caretwin.v1.Later", ServingStatus.Serving);
        Assert.Equal(ServingStatus.Serving, await NextAsync(watch));
        Registry.Set("caretwin.v1.Later", ServingStatus.NotServing);
        Assert.Equal(ServingStatus.NotServing, await NextAsync(watch));
    }

    [Fact]
    public async Task Watch_streams_not_serving_when_the_host_starts_stopping_and_check_is_then_refused()
    {
        using var watch = await WatchAsync("");
        Assert.Equal(ServingStatus.Serving, await NextAsync(watch));

        _host.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

        Assert.Equal(ServingStatus.NotServing, await NextAsync(watch));
        Assert.Null(await watch.ReadMessageAsync().WaitAsync(Bound));
        Assert.Equal("14", Assert.Single(watch.Response.TrailingHeaders.GetValues("grpc-status")));
        Assert.Equal(StatusCode.Unavailable, (await CheckAsync("")).Status);
        Assert.True(Registry.TryGet("", out var overall));
        Assert.Equal(ServingStatus.NotServing, overall);
    }

    [Fact]
    public void The_registry_reports_only_the_latest_status_to_a_slow_watcher()
    {
        using var watch = Registry.Watch("caretwin.v1.Flapping");
        Registry.Set("caretwin.v1.Flapping", ServingStatus.Serving);
        Registry.Set("caretwin.v1.Flapping", ServingStatus.NotServing);

        Assert.True(watch.Reader.TryRead(out var status));
        Assert.Equal(ServingStatus.NotServing, status);
        Assert.False(watch.Reader.TryRead(out _));
    }

    private Task<RawGrpcResponse> CheckAsync(string service) =>
        _client.UnaryAsync("/grpc.health.v1.Health/Check", new HealthCheckRequest { Service = service });

    private Task<GrpcResponseStream> WatchAsync(string service) =>
        _client.OpenStreamAsync(RawGrpcClient.Request("/grpc.health.v1.Health/Watch", GrpcChannel.Frame(new HealthCheckRequest { Service = service })));

    private static async Task<ServingStatus> NextAsync(GrpcResponseStream watch)
    {
        var message = await watch.ReadMessageAsync().WaitAsync(Bound);
        Assert.NotNull(message);
        return HealthCheckResponse.Parser.ParseFrom(message).Status;
    }
}
