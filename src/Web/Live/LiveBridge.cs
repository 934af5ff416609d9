using System.Threading.Channels;
using CareTwin.Grains.Boards;
using CareTwin.Journey.Services;
using CareTwin.Grains.Publishing;
using CareTwin.Web.Hosting;
using CareTwin.Web.Views;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CareTwin.Web.Live;

/// <summary>A connection asked to watch more live views than one connection may.</summary>
public sealed class LiveLimitException(string message) : Exception(message);

/// <summary>
/// The one bridge from the grains' streams to the browsers. A topic's stream is subscribed while at least one
/// connection watches it, and unsubscribed when the last one leaves; what arrives is held in the topic's
/// <see cref="LiveFeed"/> until <see cref="LiveNotifier"/> sends it as one batch per group.
/// Who may watch what is decided before a join, by the access gate in the hub, and again while they watch (<see cref="LiveAccess"/>).
/// </summary>
public sealed class LiveBridge(IClusterClient cluster, ChildRecordReader records, IOptions<WebOptions> options, ILogger<LiveBridge> logger)
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Dictionary<string, LiveFeed> _feeds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Watcher> _watchers = new(StringComparer.Ordinal);
    private volatile LiveFeed[] _active = [];
    private readonly Channel<bool> _arrived = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    private sealed record Watcher(LiveWatcher Who, HashSet<string> Groups);

    /// <summary>The feeds with at least one watcher, for the notifier.</summary>
    internal IReadOnlyList<LiveFeed> ActiveFeeds => _active;

    /// <summary>
    /// Holds one item (until read) once a feed that had nothing waiting gets a change or must resync: the notifier
    /// waits on it, so a change to a quiet group is sent at once.
    /// </summary>
    internal ChannelReader<bool> Arrived => _arrived.Reader;

    /// <summary>How many grain streams the bridge is subscribed to now.</summary>
    public int Subscriptions => _active.Length;

    /// <summary>Adds a watcher to a topic, subscribing to its stream if it is the first.</summary>
    /// <returns>False when the connection already watched it.</returns>
    /// <exception cref="LiveLimitException">The connection already watches as many topics as it may.</exception>
    public async Task<bool> JoinAsync(string connectionId, LiveWatcher who, LiveTopic topic)
    {
        await _lock.WaitAsync();
        try
        {
            if (!_watchers.TryGetValue(connectionId, out var watcher))
                _watchers[connectionId] = watcher = new Watcher(who, new HashSet<string>(StringComparer.Ordinal));
            if (watcher.Groups.Contains(topic.Group)) return false;
            if (watcher.Groups.Count >= options.Value.Live.MaxGroupsPerConnection)
                throw new LiveLimitException($"A connection can watch at most {options.Value.Live.MaxGroupsPerConnection} live views; reload the page.");
            if (!_feeds.TryGetValue(topic.Group, out var feed))
            {
                feed = CreateFeed(topic);
                await feed.SubscribeAsync(cluster.GetStreamProvider(JourneyStreams.ProviderName));
                _feeds[topic.Group] = feed;
                _active = [.. _feeds.Values];
            }
            feed.Members++;
            watcher.Groups.Add(topic.Group);
            return true;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Removes a connection from everything it watched (it closed, or its access ended).</summary>
    /// <returns>The groups it watched.</returns>
    public async Task<IReadOnlyList<string>> LeaveAsync(string connectionId)
    {
        await _lock.WaitAsync();
        try
        {
            if (!_watchers.Remove(connectionId, out var watcher)) return [];
            foreach (var group in watcher.Groups)
            {
                if (!_feeds.TryGetValue(group, out var feed) || --feed.Members > 0) continue;
                _feeds.Remove(group);
                await feed.UnsubscribeAsync();
            }
            _active = [.. _feeds.Values];
            return [.. watcher.Groups];
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Takes one connection out of one group (its access to that view ended), unsubscribing if it was the last.</summary>
    public async Task LeaveGroupAsync(string connectionId, string group)
    {
        await _lock.WaitAsync();
        try
        {
            if (!_watchers.TryGetValue(connectionId, out var watcher) || !watcher.Groups.Remove(group)) return;
            if (_feeds.TryGetValue(group, out var feed) && --feed.Members == 0)
            {
                _feeds.Remove(group);
                await feed.UnsubscribeAsync();
                _active = [.. _feeds.Values];
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Every connection with what it watches, or only those watching <paramref name="group"/>.</summary>
    internal async Task<IReadOnlyList<(string Connection, LiveWatcher Who, IReadOnlyList<LiveTopic> Topics)>> WatchingAsync(string? group = null)
    {
        await _lock.WaitAsync();
        try
        {
            return [.. _watchers
                .Where(w => group is null || w.Value.Groups.Contains(group))
                .Select(w => (w.Key, w.Value.Who, (IReadOnlyList<LiveTopic>)[.. w.Value.Groups.Where(g => group is null || g == group).Select(g => _feeds[g].Topic)]))];
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Drops a group whose watchers may no longer see it: its connections stop watching it and its stream is unsubscribed.</summary>
    /// <returns>The connections that watched it.</returns>
    public async Task<IReadOnlyList<string>> EndGroupAsync(string group)
    {
        await _lock.WaitAsync();
        try
        {
            var connections = new List<string>();
            foreach (var (connection, watcher) in _watchers)
                if (watcher.Groups.Remove(group)) connections.Add(connection);
            if (_feeds.Remove(group, out var feed))
            {
                await feed.UnsubscribeAsync();
                _active = [.. _feeds.Values];
            }
            return connections;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>The connections a user watches through.</summary>
    public async Task<IReadOnlyList<string>> ConnectionsOfAsync(string userId)
    {
        await _lock.WaitAsync();
        try
        {
            return [.. _watchers.Where(w => w.Value.Who.Caller.Id == userId).Select(w => w.Key)];
        }
        finally
        {
            _lock.Release();
        }
    }

    private void ChangeArrived() => _arrived.Writer.TryWrite(true);

    private LiveFeed CreateFeed(LiveTopic topic)
    {
        var maxPending = options.Value.Live.MaxPendingPerGroup;
        return topic.Kind switch
        {
            LiveTopicKind.Board => new LiveFeed<BoardChanged>(topic,
                s => s.BoardStream(BoardKey.TryParse(topic.Key, out var board) ? board : throw new ArgumentException($"'{topic.Key}' is not a board key.")),
                new BoardChangeShaper(), maxPending, ChangeArrived, logger),
            LiveTopicKind.Child => new LiveFeed<ChildChanged>(topic, s => s.ChildStream(topic.Key), new ChildChangeShaper(records), maxPending, ChangeArrived, logger),
            LiveTopicKind.ServiceMeetings => new LiveFeed<ServiceActionAgreed>(topic, s => s.ServiceMeetingsStream(ServiceKey.Parse(topic.Key)), new ServiceMeetingsShaper(cluster), maxPending, ChangeArrived, logger),
            LiveTopicKind.Meeting => new LiveFeed<MeetingChanged>(topic, s => s.MeetingStream(topic.Key), new MeetingChangeShaper(cluster), maxPending, ChangeArrived, logger),
            LiveTopicKind.Family => new LiveFeed<FamilyViewChanged>(topic, s => s.FamilyStream(topic.Key), new FamilyChangeShaper(), maxPending, ChangeArrived, logger),
            _ => new LiveFeed<ServiceChanged>(topic, s => s.ServiceStream(ServiceKey.Parse(topic.Key)), new ServiceChangeShaper(), maxPending, ChangeArrived, logger),
        };
    }
}
