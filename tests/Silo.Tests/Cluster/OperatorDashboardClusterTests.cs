using System.Net;
using System.Text.Json;
using CareTwin.Testing;
using static CareTwin.Silo.Tests.Cluster.TwoNodeCluster;

namespace CareTwin.Silo.Tests.Cluster;

/// <summary>The operators' Orleans dashboard on a cluster: any node shows every node, and it outlives a node that dies.</summary>
[Collection(nameof(CrashTests))]
public sealed class OperatorDashboardClusterTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private const string Counters = "/operations/dashboard/DashboardCounters";

    [Fact]
    public async Task Either_node_shows_both_and_the_survivor_goes_on_showing_the_cluster_when_one_is_killed()
    {
        await using var cluster = await StartAsync(postgres);
        // Signed in on node A; the cookie is honoured by node B (shared data-protection keys).
        var session = (await RawHubClient.SignInAsync(cluster.NodeA.WebAddress, "operator")).GetCookieHeader(cluster.NodeA.WebAddress);

        await Eventually.True(async () => await ActiveNodesAsync(cluster.NodeA.WebAddress, session) == 2, "node A's dashboard shows two active nodes", 60);
        await Eventually.True(async () => await ActiveNodesAsync(cluster.NodeB.WebAddress, session) == 2, "node B's dashboard shows two active nodes", 60);

        cluster.NodeA.Kill();

        // Until node A is declared dead the dashboard's grain may be out of reach: 503, never 500.
        await Eventually.True(async () => await ActiveNodesAsync(cluster.NodeB.WebAddress, session) == 1, "node B's dashboard shows node A gone", 60);
    }

    /// <summary>Nodes the dashboard reports active, or -1 while it says it cannot answer (its grain moving off a dead node).</summary>
    private static async Task<int> ActiveNodesAsync(Uri node, string session)
    {
        await Task.Delay(200);
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = node, Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, Counters);
        request.Headers.Add("Cookie", session);
        try
        {
            using var response = await http.SendAsync(request);
            // Anything but an answer or a passing outage is a failure, not something to wait out.
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable) return -1;
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var hosts = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("hosts");
            return hosts.EnumerateArray().Count(h => h.GetProperty("status").GetString() == "Active");
        }
        catch (TaskCanceledException)
        {
            return -1;
        }
    }
}
