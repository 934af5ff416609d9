using CareTwin.Web.Hosting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CareTwin.Web.Live;

/// <summary>Sends a batch to a group's connections.</summary>
public interface ILiveBroadcaster
{
    Task SendAsync(string group, LiveBatch batch, CancellationToken cancellationToken);

    /// <summary>Tells the connections their access ended and takes them out of the group.</summary>
    Task EndAccessAsync(string group, IReadOnlyList<string> connections, CancellationToken cancellationToken);
}

internal sealed class HubBroadcaster(IHubContext<JourneyHub> hub) : ILiveBroadcaster
{
    public Task SendAsync(string group, LiveBatch batch, CancellationToken cancellationToken) =>
        hub.Clients.Group(group).SendAsync(LiveMessages.Changes, batch, cancellationToken);

    public async Task EndAccessAsync(string group, IReadOnlyList<string> connections, CancellationToken cancellationToken)
    {
        await hub.Clients.Clients(connections).SendAsync(LiveMessages.AccessEnded, cancellationToken);
        foreach (var connection in connections) await hub.Groups.RemoveFromGroupAsync(connection, group, cancellationToken);
    }
}

/// <summary>
/// Flushes the bridge like the push notifier of Orleans's GPSTracker sample: every
/// <see cref="LiveLimits.FlushInterval"/> each group with changes gets one batch, so a burst of changes costs a
/// browser one message, not one per change. Runs on its own clock (real time even when the demo's clock is fast).
/// </summary>
public sealed class LiveNotifier(LiveBridge bridge, ILiveBroadcaster broadcaster, IOptions<WebOptions> options, TimeProvider clock, ILogger<LiveNotifier> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Live.FlushInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await FlushAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Sends every group its pending batch. A group whose batch could not be made is told to re-read; a failed
    /// send is logged (the group's pages catch up on their next batch or reconnect). Nothing here stops the loop.
    /// </summary>
    public Task FlushAsync(CancellationToken cancellationToken = default) =>
        Task.WhenAll(bridge.ActiveFeeds.Select(async feed =>
        {
            var group = feed.Topic.Group;
            LiveBatch? batch;
            try
            {
                batch = await feed.TakeBatchAsync();
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Reading the changes for {Group} failed; its watchers are asked to re-read", group);
                batch = new LiveBatch(group, true, null);
            }
            if (batch is null) return;
            try
            {
                if (batch.AccessEnded) await broadcaster.EndAccessAsync(group, await bridge.EndGroupAsync(group), cancellationToken);
                else await broadcaster.SendAsync(group, batch, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Sending live changes to {Group} failed", group);
            }
        }));
}
