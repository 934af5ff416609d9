using System.Diagnostics;
using System.Net;
using System.Text.Json;
using CareTwin.Api.Contracts.V1;
using CareTwin.Silo.Tests.Listeners;
using CareTwin.Testing;
using Grpc.Health.V1;
using Xunit.Abstractions;

namespace CareTwin.Silo.Tests.Cluster;

/// <summary>
/// deploy/dev/cluster.sh as a developer runs it: three nodes on a private PostgreSQL behind HAProxy with
/// deploy/balancer/haproxy.cfg. Browsers, REST/JSON and gRPC all go through the balancer, and keep being served
/// when a node is killed outright; <c>cluster.sh down</c> leaves nothing running.
/// </summary>
[Collection(nameof(CrashTests))]
public sealed class BalancedClusterTests(ITestOutputHelper output)
{
    private const string StickyCookie = "CARETWIN_NODE";
    private static readonly TimeSpan FailoverLimit = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Through_the_balancer_browsers_REST_and_gRPC_keep_being_served_when_a_node_is_killed_and_down_leaves_nothing_running()
    {
        await using var cluster = await ScriptedCluster.UpAsync(3, output, "Demo__Children=20");
        Assert.Equal([1, 2, 3], cluster.Nodes.Select(n => n.Index));
        Assert.All(cluster.Nodes, node => Assert.Contains("CareTwin.Silo.dll", ScriptedCluster.CommandLine(node.Pid)));
        var key = cluster.EprKey;
        Assert.All(await cluster.ServerStatesAsync(), server => Assert.Equal("UP", server.Value));
        Assert.Equal(6, (await cluster.ServerStatesAsync()).Count); // both backends, every node: their active checks pass

        // Before: the web over HTTP/1.1, gRPC health, a gRPC change and read, REST, and a browser's live hub.
        using var web = new HttpClient(new SocketsHttpHandler { UseProxy = false, UseCookies = false }) { BaseAddress = cluster.Web, Timeout = TimeSpan.FromSeconds(5) };
        using (var healthz = await web.GetAsync("/healthz"))
            Assert.Equal((HttpStatusCode.OK, HttpVersion.Version11, "Healthy"), (healthz.StatusCode, healthz.Version, await healthz.Content.ReadAsStringAsync()));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await ListeningHost.HealthAsync(cluster.Grpc));
        using var grpc = new RawGrpcChannel(cluster.Grpc, key);
        var children = Enumerable.Range(1, 6).Select(i => $"balanced-{i:D2}").ToArray();
        var versions = new Dictionary<string, long>();
        foreach (var child in children)
            versions[child] = (await RegisterAsync(grpc, child)).Version;
        foreach (var child in children)
            Assert.Equal(versions[child], (await GetJourneyAsync(grpc, child)).Version);
        var demoChild = await RestJourneyAsync(web, key, "demo-0001");

        var session = await RawHubClient.SignInAsync(cluster.Web, "coordinator");
        await using (var hub = await RawHubClient.ConnectAsync(cluster.Web, session))
            Assert.Null((await hub.InvokeAsync("WatchBoard", "region:north-thames")).Error);
        // The browser is kept on one node (SignalR's negotiate and WebSocket must meet there): kill that one.
        var sticky = session.GetCookies(cluster.Web)[StickyCookie]?.Value;
        Assert.True(sticky is not null, $"The balancer set no {StickyCookie} cookie.");
        var victim = cluster.Nodes.Single(n => sticky == $"node{n.Index}");
        output.WriteLine($"The browser's node: {victim.Index} (pid {victim.Pid})");

        Process.GetProcessById(victim.Pid).Kill();
        var sinceKill = Stopwatch.StartNew();
        var healthzBack = await UntilServedAsync("GET /healthz", async () =>
        {
            using var response = await web.GetAsync("/healthz");
            return response.StatusCode == HttpStatusCode.OK && await response.Content.ReadAsStringAsync() == "Healthy";
        }, sinceKill);
        var grpcHealthBack = await UntilServedAsync("grpc.health.v1 Check", async () =>
            await ListeningHost.HealthAsync(cluster.Grpc) == HealthCheckResponse.Types.ServingStatus.Serving, sinceKill);
        var journeysBack = await UntilServedAsync("gRPC GetJourney of every child", async () =>
        {
            foreach (var child in children)
                Assert.Equal(versions[child], (await GetJourneyAsync(grpc, child)).Version); // nothing acknowledged lost
            return true;
        }, sinceKill);
        var restBack = await UntilServedAsync("REST GetJourney", async () =>
            (await RestJourneyAsync(web, key, "demo-0001")).GetProperty("version").GetInt64() == demoChild.GetProperty("version").GetInt64(), sinceKill);
        var hubBack = await UntilServedAsync("the browser's hub, reconnected", async () =>
        {
            await using var hub = await RawHubClient.ConnectAsync(cluster.Web, session);
            return (await hub.InvokeAsync("WatchBoard", "region:north-thames")).Error is null;
        }, sinceKill);
        Assert.NotEqual($"node{victim.Index}", session.GetCookies(cluster.Web)[StickyCookie]?.Value);
        await Eventually.True(async () => (await cluster.ServerStatesAsync()).Where(s => s.Key.Server == $"node{victim.Index}").All(s => s.Value.StartsWith("DOWN", StringComparison.Ordinal)),
            "the balancer's checks took the killed node out of both backends", 15);
        var outOfBothBackends = sinceKill.Elapsed;
        output.WriteLine($"After SIGKILL, served again through the balancer: /healthz {healthzBack:F2} s, grpc.health {grpcHealthBack:F2} s, " +
            $"gRPC GetJourney ×{children.Length} {journeysBack:F2} s, REST {restBack:F2} s, hub {hubBack:F2} s; node out of both backends by {outOfBothBackends.TotalSeconds:F2} s");

        // Once the balancer has taken it out, calls succeed the first time.
        var change = await grpc.UnaryAsync("/caretwin.v1.Journeys/StartTransition", new StartTransitionRequest
        {
            ChildId = children[0], ExternalId = $"{children[0]}-after-kill", Kind = TransitionKind.HospitalDischarge,
        }, ChangeReply.Parser);
        Assert.Equal((ChangeOutcome.Accepted, versions[children[0]] + 1), (change.Outcome, change.Version));
        foreach (var child in children)
            await GetJourneyAsync(grpc, child);
        Assert.All(await cluster.ServerStatesAsync(), s => Assert.Equal(s.Key.Server == $"node{victim.Index}" ? "DOWN" : "UP", s.Value.Split(' ')[0]));

        var running = cluster.ProcessesUnder();
        Assert.True(running.Count >= 4, $"Expected two nodes, the balancer and PostgreSQL under {cluster.Dir}; found:\n{string.Join('\n', running)}");
        var clock = Stopwatch.StartNew();
        await cluster.DownAsync();
        output.WriteLine($"cluster.sh down: {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Empty(cluster.ProcessesUnder());
        Assert.All(cluster.Nodes, node => Assert.False(ScriptedCluster.CommandLine(node.Pid).Contains("CareTwin.Silo.dll", StringComparison.Ordinal), $"node {node.Index} still runs"));
    }

    private static Task<ChangeReply> RegisterAsync(RawGrpcChannel grpc, string child) =>
        grpc.UnaryAsync("/caretwin.v1.Journeys/RegisterChild", new RegisterChildRequest
        {
            ChildId = child, ExternalId = $"{child}-register", NhsNumber = "9434765919", GivenName = "Balanced", FamilyName = "Test",
            DateOfBirth = new Date { Year = 2021, Month = 3, Day = 14 }, HospitalKey = "royal-thamesbank", RegionKey = "north-thames",
        }, ChangeReply.Parser);

    private static async Task<CareTwin.Api.Contracts.V1.Journey> GetJourneyAsync(RawGrpcChannel grpc, string child)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        return await grpc.UnaryAsync("/caretwin.v1.Journeys/GetJourney", new GetJourneyRequest { ChildId = child }, CareTwin.Api.Contracts.V1.Journey.Parser, limit.Token);
    }

    /// <summary>GetJourney as REST/JSON on the balancer's web port.</summary>
    private static async Task<JsonElement> RestJourneyAsync(HttpClient web, string key, string child)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/children/{child}");
        request.Headers.Add("x-api-key", key);
        using var response = await web.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"GET /v1/children/{child}: {(int)response.StatusCode} {body}");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.Clone();
    }

    /// <summary>
    /// Tries <paramref name="call"/> until it succeeds: while the cluster declares the node dead (its twins answer
    /// again within seconds) and the balancer's checks take it out. Returns the seconds since the kill.
    /// </summary>
    private async Task<double> UntilServedAsync(string what, Func<Task<bool>> call, Stopwatch sinceKill)
    {
        Exception? last = null;
        var attempts = 0;
        while (sinceKill.Elapsed < FailoverLimit)
        {
            attempts++;
            try
            {
                if (await call())
                    return sinceKill.Elapsed.TotalSeconds;
            }
            catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
            {
                last = ex;
            }
            await Task.Delay(100);
        }
        output.WriteLine($"{what}: {attempts} attempts; the last failure: {last}");
        throw new TimeoutException($"{what} was not served through the balancer within {FailoverLimit.TotalSeconds:F0} s of the kill: {last?.Message}");
    }
}

/// <summary>deploy/balancer/haproxy.cfg as an operator installs it: valid for Debian's HAProxy with its production defaults.</summary>
public sealed class BalancerTemplateTests
{
    [Fact]
    public async Task The_balancer_template_is_valid_HAProxy_configuration_as_installed_for_production()
    {
        var haproxy = File.Exists("/usr/sbin/haproxy") ? "/usr/sbin/haproxy" : "haproxy";
        var start = new ProcessStartInfo(haproxy, ["-c", "-f", Path.Combine(Repository.Root, "deploy", "balancer", "haproxy.cfg")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("CARETWIN_LB_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(name);
        Process check;
        try
        {
            check = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException("HAProxy is not installed; run deploy/dev/install-prerequisites.sh (Debian's haproxy package).");
        }
        using (check)
        {
            var said = await check.StandardOutput.ReadToEndAsync() + await check.StandardError.ReadToEndAsync();
            await check.WaitForExitAsync();
            Assert.True(check.ExitCode == 0, $"haproxy -c: {said}");
        }
    }
}
