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
/// Sends the bridge's changes to the groups, at most one batch per group per <see cref="LiveLimits.FlushInterval"/>,
/// so a burst of changes costs a browser one message per interval, not one per change. A change to a group that was
/// not sent a batch within the interval goes at once (leading edge); what arrives after it waits until the interval
/// since that group's last batch has passed and goes as one batch (trailing edge). Each group keeps its own pace, so
/// a busy board does not hold back a quiet child's first change. Runs on its own clock (real time even when the
/// demo's clock is fast).
/// </summary>
public sealed class LiveNotifier(
    LiveBridge bridge, ILiveBroadcaster broadcaster, LiveAccess access, IOptions<WebOptions> options, TimeProvider clock, ILogger<LiveNotifier> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var live = options.Value.Live;
        var lastRecheck = clock.GetTimestamp();
        try
        {
            while (true)
            {
                if (clock.GetElapsedTime(lastRecheck) >= live.AccessRecheckInterval)
                {
                    lastRecheck = clock.GetTimestamp();
                    await RecheckAccessAsync(stoppingToken);
                }
                await FlushAsync(stoppingToken);
                var untilRecheck = live.AccessRecheckInterval - clock.GetElapsedTime(lastRecheck);
                var untilDue = bridge.ActiveFeeds.Select(feed => feed.DueIn(clock, live.FlushInterval)).Min();
                await WaitAsync(untilDue < untilRecheck ? untilDue.Value : untilRecheck, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Waits until a change arrives for a group with nothing waiting, or at most <paramref name="longest"/> (a group's batch falls due).</summary>
    private async Task WaitAsync(TimeSpan longest, CancellationToken stoppingToken)
    {
        if (longest > TimeSpan.Zero)
        {
            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            await Task.WhenAny(bridge.Arrived.WaitToReadAsync(waiting.Token).AsTask(), Task.Delay(longest, clock, waiting.Token));
            waiting.Cancel();
            stoppingToken.ThrowIfCancellationRequested();
        }
        // Read before the next flush looks at the feeds, so a change arriving during it wakes the loop again.
        bridge.Arrived.TryRead(out _);
    }

    /// <summary>Decides again for every open view, changes or not; the views whose access ended are closed.</summary>
    public async Task RecheckAccessAsync(CancellationToken cancellationToken = default)
    {
        foreach (var (connection, who, topics) in await bridge.WatchingAsync())
            foreach (var topic in topics)
                await EndUnlessAllowedAsync(connection, who, topic, cancellationToken);
    }

    /// <summary>
    /// Sends every group whose changes are due its batch: a group with changes waiting that was not sent a batch
    /// within <see cref="LiveLimits.FlushInterval"/>. A group whose batch could not be made is told to re-read; a failed
    /// send is logged (the group's pages catch up on their next batch or reconnect). Nothing here stops the loop.
    /// </summary>
    public Task FlushAsync(CancellationToken cancellationToken = default) =>
        Task.WhenAll(bridge.ActiveFeeds.Select(async feed =>
        {
            var group = feed.Topic.Group;
            LiveBatch? batch;
            try
            {
                batch = await feed.TakeBatchAsync(clock, options.Value.Live.FlushInterval);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Reading the changes for {Group} failed; its watchers are asked to re-read", group);
                batch = new LiveBatch(group, true, null);
            }
            if (batch is null) return;
            try
            {
                if (batch.AccessEnded)
                {
                    await broadcaster.EndAccessAsync(group, await bridge.EndGroupAsync(group), cancellationToken);
                    return;
                }
                // Each watcher is decided again before a change reaches them.
                foreach (var (connection, who, _) in await bridge.WatchingAsync(group))
                    await EndUnlessAllowedAsync(connection, who, feed.Topic, cancellationToken);
                await broadcaster.SendAsync(group, batch, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Sending live changes to {Group} failed", group);
            }
        }));

    private async Task EndUnlessAllowedAsync(string connection, LiveWatcher who, LiveTopic topic, CancellationToken cancellationToken)
    {
        bool allowed;
        try
        {
            allowed = await access.StillAllowedAsync(who, topic);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not knowing is not a refusal (a node may be leaving): decided again on the next change or recheck.
            logger.LogWarning(ex, "Deciding again whether {User} may watch {Group} failed", who.Caller.Id, topic.Group);
            return;
        }
        if (allowed) return;
        await bridge.LeaveGroupAsync(connection, topic.Group);
        await broadcaster.EndAccessAsync(topic.Group, [connection], cancellationToken);
        logger.LogInformation("Live view {Group} of {User} closed: their access ended", topic.Group, who.Caller.Id);
    }
}
