using CareTwin.Api.Contracts.V1;
using CareTwin.Api.Tests.Infrastructure;
using CareTwin.Testing;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace CareTwin.Api.Tests;

/// <summary>
/// How open calls end, over real Kestrel h2c with Grpc.Net.Client: at shutdown, at the caller's deadline, at the
/// caller's cancel. Waits are bounded so a broken ending fails the test instead of hanging it.
/// </summary>
public sealed class CallLifecycleTests
{
    private const string ShuttingDown = "CareTwin is shutting down or restarting; send the request again shortly.";

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    /// <summary>Well inside the host's shutdown timeout, after which Kestrel would abort whatever is still open.</summary>
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task At_shutdown_health_watchers_hear_not_serving_before_their_stream_ends_and_watches_end_unavailable_without_holding_up_the_stop()
    {
        await using var host = await CareTwinApiHost.StartKestrelAsync();
        Assert.True(host.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout > Prompt);
        using var epr = host.Client(host.EprKey);
        await epr.RegisterWithDischargeAsync("life-shutdown");
        using var channel = host.Channel();
        using var health = new Grpc.Health.V1.Health.HealthClient(channel).Watch(new HealthCheckRequest());
        using var watch = await epr.OpenWatchAsync("WatchChild", new WatchChildRequest { ChildId = "life-shutdown" });
        Assert.True(await health.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Bound));
        Assert.Equal(ServingStatus.Serving, health.ResponseStream.Current.Status);
        Assert.NotNull((await watch.NextAsync(ChildUpdate.Parser)).Snapshot);

        var stopping = host.StopAsync();

        var heard = new List<ServingStatus>();
        var healthEnd = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await health.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Bound))
                heard.Add(health.ResponseStream.Current.Status);
        });
        var watchEnd = await watch.EndAsync();
        await stopping.WaitAsync(Prompt);

        Assert.NotEmpty(heard);
        Assert.Equal(ServingStatus.NotServing, heard[^1]);
        Assert.Equal((StatusCode.Unavailable, ShuttingDown), (healthEnd.StatusCode, healthEnd.Status.Detail));
        Assert.Equal((StatusCode.Unavailable, ShuttingDown), watchEnd);
    }

    [Fact]
    public async Task A_watch_whose_deadline_passes_ends_deadline_exceeded_and_the_server_lets_go_of_its_subscription()
    {
        await using var host = await CareTwinApiHost.StartKestrelAsync();
        using var epr = host.Client(host.EprKey);
        await epr.RegisterWithDischargeAsync("life-deadline");

        using var watch = await epr.OpenWatchAsync("WatchChild", new WatchChildRequest { ChildId = "life-deadline" }, deadline: DateTime.UtcNow.AddSeconds(2));
        Assert.NotNull((await watch.NextAsync(ChildUpdate.Parser)).Snapshot);
        var (status, _) = await watch.EndAsync();

        Assert.Equal(StatusCode.DeadlineExceeded, status);
        await Eventually.True(async () => await host.ChildStreamSubscriptionsAsync("life-deadline") == 0, "the watch whose deadline passed unsubscribes");
        Assert.DoesNotContain(host.Logs.Entries, e => e.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task A_watch_the_caller_cancels_ends_cancelled_and_the_server_lets_go_of_its_subscription()
    {
        await using var host = await CareTwinApiHost.StartKestrelAsync();
        using var epr = host.Client(host.EprKey);
        await epr.RegisterWithDischargeAsync("life-cancel");
        using var cancel = new CancellationTokenSource();

        using var watch = await epr.OpenWatchAsync("WatchChild", new WatchChildRequest { ChildId = "life-cancel" }, cancel.Token);
        Assert.NotNull((await watch.NextAsync(ChildUpdate.Parser)).Snapshot);
        Assert.Equal(1, await host.ChildStreamSubscriptionsAsync("life-cancel"));
        await cancel.CancelAsync();
        var (status, _) = await watch.EndAsync();

        Assert.Equal(StatusCode.Cancelled, status);
        await Eventually.True(async () => await host.ChildStreamSubscriptionsAsync("life-cancel") == 0, "the cancelled watch unsubscribes");
        Assert.DoesNotContain(host.Logs.Entries, e => e.Level >= LogLevel.Error);
    }
}
