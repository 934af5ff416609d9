using System.Net;
using CareTwin.Testing;
using Grpc.Health.V1;
using static CareTwin.Silo.Tests.Cluster.TwoNodeCluster;

namespace CareTwin.Silo.Tests.Cluster;

/// <summary>
/// When the cluster's database goes away, every node says it cannot serve (so a load balancer stops routing to it),
/// and when it comes back, every node recovers by itself: nobody restarts anything.
/// </summary>
[Collection(nameof(CrashTests))]
public sealed class DatabaseOutageTests
{
    [Fact]
    public async Task Every_node_reports_unhealthy_while_the_database_is_gone_and_serves_again_when_it_returns()
    {
        using var postgres = PostgresServer.StartPrivate();
        await using var cluster = await StartAsync(postgres);
        await RegisterWithBlockerAsync(cluster.ViaA, "outage-01");
        var nodes = new[] { cluster.NodeA, cluster.NodeB };
        using var http = new HttpClient();

        async Task<bool> AllAsync(HttpStatusCode web, HealthCheckResponse.Types.ServingStatus api)
        {
            foreach (var node in nodes)
            {
                using var healthz = await http.GetAsync(new Uri(node.WebAddress, "/healthz"));
                using var grpc = new RawGrpcChannel(node.GrpcAddress, apiKey: null);
                var check = await grpc.UnaryAsync("/grpc.health.v1.Health/Check", new HealthCheckRequest(), HealthCheckResponse.Parser);
                if (healthz.StatusCode != web || check.Status != api)
                    return false;
            }
            return true;
        }

        Assert.True(await AllAsync(HttpStatusCode.OK, HealthCheckResponse.Types.ServingStatus.Serving));
        postgres.Stop();
        await Eventually.True(() => AllAsync(HttpStatusCode.ServiceUnavailable, HealthCheckResponse.Types.ServingStatus.NotServing),
            "every node unhealthy and NOT_SERVING while the database is gone", 30);
        postgres.StartAgain();
        await Eventually.True(() => AllAsync(HttpStatusCode.OK, HealthCheckResponse.Types.ServingStatus.Serving),
            "every node healthy and SERVING once the database is back", 60);

        var journey = await cluster.ViaB.UnaryAsync("/caretwin.v1.Journeys/GetJourney",
            new CareTwin.Api.Contracts.V1.GetJourneyRequest { ChildId = "outage-01" }, CareTwin.Api.Contracts.V1.Journey.Parser);
        Assert.Equal(3, journey.Version);
    }
}
