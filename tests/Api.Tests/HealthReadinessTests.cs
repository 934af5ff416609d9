using CareTwin.Api.Tests.Infrastructure;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace CareTwin.Api.Tests;

/// <summary>
/// grpc.health.v1 Check as a load balancer or an EPR's probe asks it, without a key: SERVING only while this node
/// can do its work (the database answers, the silo is active, the host is not stopping), for the whole node ("")
/// and for each caretwin.v1 service alike.
/// </summary>
public sealed class HealthReadinessTests : InMemoryApiTests
{
    private static readonly string[] Names = ["", "caretwin.v1.Journeys", "caretwin.v1.Ingest", "caretwin.v1.Watch"];

    [Fact]
    public async Task A_ready_node_is_serving_for_the_whole_node_and_each_caretwin_service()
    {
        Assert.Equal(Everywhere(ServingStatus.Serving), await StatusesAsync());
    }

    [Fact]
    public async Task While_the_database_cannot_be_read_the_node_is_not_serving_and_it_serves_again_once_it_answers()
    {
        Host.Storage.ReadsFail = true;
        var down = await StatusesAsync();
        Host.Storage.ReadsFail = false;
        var recovered = await StatusesAsync();

        Assert.Equal(Everywhere(ServingStatus.NotServing), down);
        Assert.Equal(Everywhere(ServingStatus.Serving), recovered);
    }

    [Fact]
    public async Task Once_the_silo_has_stopped_the_node_is_not_serving()
    {
        await Host.Services.GetRequiredService<Orleans.Runtime.Silo>().StopAsync(CancellationToken.None);

        Assert.Equal(Everywhere(ServingStatus.NotServing), await StatusesAsync());
    }

    [Fact]
    public async Task An_unknown_service_name_is_not_found()
    {
        using var channel = Host.Channel();

        var unknown = await Assert.ThrowsAsync<RpcException>(() =>
            new Grpc.Health.V1.Health.HealthClient(channel).CheckAsync(new HealthCheckRequest { Service = "caretwin.v1.NoSuchService" }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
    }

    private async Task<Dictionary<string, ServingStatus>> StatusesAsync()
    {
        using var channel = Host.Channel();
        var health = new Grpc.Health.V1.Health.HealthClient(channel);
        var statuses = new Dictionary<string, ServingStatus>();
        foreach (var name in Names)
            statuses[name] = (await health.CheckAsync(new HealthCheckRequest { Service = name })).Status;
        return statuses;
    }

    private static Dictionary<string, ServingStatus> Everywhere(ServingStatus status) => Names.ToDictionary(n => n, _ => status);
}
