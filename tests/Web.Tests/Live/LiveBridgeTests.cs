using CareTwin.Grains.Forecasts;
using Orleans;
using Orleans.Streams;
using CareTwin.Grains.Access;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using CareTwin.Grains.Boards;
using CareTwin.Grains.Children;
using CareTwin.Journey.Children;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Projections;
using CareTwin.Journey.Transitions;
using CareTwin.Grains.Publishing;
using CareTwin.Testing;
using CareTwin.Web.Hosting;
using CareTwin.Web.Live;
using CareTwin.Web.SignIn;
using CareTwin.Web.Views;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CareTwin.Web.Tests.Live;

/// <summary>
/// The bridge in-process over a real runtime's streams, flushed by hand or by the notifier's own loop on the
/// silo's manual clock: what each group is sent, and when.
/// </summary>
public sealed class LiveBridgeTests : IAsyncLifetime
{
    private static readonly BoardKey Board = BoardKey.ForRegion("north-thames");
    private readonly WebOptions _options = new() { Live = new LiveLimits { MaxPendingPerGroup = 20, MaxGroupsPerConnection = 3 } };
    private readonly SentBatches _sent = new();
    private readonly WebOptionsNow _webNow = new();
    private TestSilo _silo = null!;
    private LiveBridge _bridge = null!;
    private LiveNotifier _notifier = null!;

    public async Task InitializeAsync()
    {
        _silo = await TestSilo.StartAsync();
        var options = Options.Create(_options);
        _bridge = new LiveBridge(_silo.Client, new ChildRecordReader(_silo.Grains, new LeadTimesOnThisNode(_silo.Grains), _silo.Clock, options, Options.Create(new AccessOptions())), options, NullLogger<LiveBridge>.Instance);
        var access = new LiveAccess(new AccessGate(_silo.Grains, _silo.Clock, Options.Create(new AccessOptions())), new DemoMode(true), _webNow);
        _notifier = new LiveNotifier(_bridge, _sent, access, options, _silo.Clock, NullLogger<LiveNotifier>.Instance);
    }

    public async Task DisposeAsync()
    {
        // Stops the notifier's loop in the tests that start it; a no-op in the rest.
        await _notifier.StopAsync(CancellationToken.None);
        _notifier.Dispose();
        await _silo.DisposeAsync();
    }

    private IAsyncStream<BoardChanged> BoardStream => _silo.Streams.BoardStream(Board);

    [Fact]
    public async Task A_stream_is_subscribed_only_while_its_group_has_members()
    {
        Assert.Empty(await BoardStream.GetAllSubscriptionHandles());

        await _bridge.JoinAsync("connection-1", Watcher("user-1"), LiveTopic.Board(Board.ToString()));
        await _bridge.JoinAsync("connection-2", Watcher("user-2"), LiveTopic.Board(Board.ToString()));
        Assert.Single(await BoardStream.GetAllSubscriptionHandles());

        await _bridge.LeaveAsync("connection-1");
        Assert.Single(await BoardStream.GetAllSubscriptionHandles());
        await _bridge.LeaveAsync("connection-2");
        Assert.Empty(await BoardStream.GetAllSubscriptionHandles());
        Assert.Equal(0, _bridge.Subscriptions);
    }

    [Fact]
    public async Task A_burst_of_changes_is_one_batch_per_group_with_each_childs_latest_row()
    {
        await _bridge.JoinAsync("connection-1", Watcher("user-1"), LiveTopic.Board(Board.ToString()));
        for (var version = 1; version <= 6; version++)
            foreach (var child in new[] { "c-1", "c-2", "c-3" })
                await BoardStream.OnNextAsync(Changed(child, version));
        await Eventually.True(() => Feed().Pending == 18, "the bridge to hold all 18 changes");

        await _notifier.FlushAsync();

        var batch = Assert.Single(_sent.Batches);
        Assert.Equal("board:region:north-thames", batch.Group);
        Assert.False(batch.Batch.Resync);
        var changes = Assert.IsType<BoardChanges>(batch.Batch.Changes);
        Assert.Equal(["c-1", "c-2", "c-3"], changes.Rows.Select(r => r.ChildId).Order());
        Assert.All(changes.Rows, r => Assert.Equal(6, r.ChildVersion));
        Assert.Equal(3, changes.Totals.Children);

        await _notifier.FlushAsync();
        Assert.Single(_sent.Batches);
    }

    [Fact]
    public async Task More_changes_than_the_bridge_holds_become_a_resync()
    {
        await _bridge.JoinAsync("connection-1", Watcher("user-1"), LiveTopic.Board(Board.ToString()));
        for (var version = 1; version <= 25; version++) await BoardStream.OnNextAsync(Changed($"c-{version}", 1));
        await Eventually.True(() => Feed().Resync, "the bridge to give up holding changes");

        await _notifier.FlushAsync();

        Assert.True(Assert.Single(_sent.Batches).Batch.Resync);
    }

    [Fact]
    public async Task A_connection_watches_at_most_the_configured_number_of_topics()
    {
        foreach (var hospital in new[] { "a", "b", "c" }) await _bridge.JoinAsync("connection-1", Watcher("user-1"), LiveTopic.Board($"hospital:{hospital}"));
        Assert.False(await _bridge.JoinAsync("connection-1", Watcher("user-1"), LiveTopic.Board("hospital:a")));

        await Assert.ThrowsAsync<LiveLimitException>(() => _bridge.JoinAsync("connection-1", Watcher("user-1"), LiveTopic.Board("hospital:d")));
        Assert.True(await _bridge.JoinAsync("connection-2", Watcher("user-1"), LiveTopic.Board("hospital:d")));
        Assert.Equal(["connection-1", "connection-2"], (await _bridge.ConnectionsOfAsync(DemoUsers.Find("coordinator")!.Caller.Id)).Order());
    }

    [Fact]
    public async Task A_child_group_gets_the_childs_record_as_it_is_after_the_changes()
    {
        var child = _silo.Grains.GetGrain<IChildGrain>("child-1");
        var origin = (int n) => new CommandOrigin(new Actor("c", "Coordinator", ActorRole.Coordinator), "test", $"t-{n}");
        await _bridge.JoinAsync("connection-1", Watcher("user-1"), LiveTopic.Child("child-1", Caller.Coordinator("coord-1", "Priya Shah")));

        await child.Execute(new RegisterChild(origin(1), "child-1", "943 476 5919", "Ava", "Thompson", new DateOnly(2022, 1, 1), "royal-thamesbank", "north-thames", []));
        await child.Execute(new StartTransition(origin(2), TransitionKind.HospitalDischarge));
        await Eventually.True(() => Feed().Pending == 2, "both changes to reach the bridge");
        await _notifier.FlushAsync();

        var record = Assert.IsType<ChildRecord>(Assert.Single(_sent.Batches).Batch.Changes);
        Assert.Equal(2, record.Version);
        Assert.Equal("Ava Thompson", record.Name);
        Assert.Equal(2, record.Timeline.Length);
    }

    [Fact]
    public async Task A_change_to_a_group_sent_nothing_within_the_interval_is_sent_at_once()
    {
        await _bridge.JoinAsync("connection-1", Watcher("user-1"), LiveTopic.Board(Board.ToString()));
        var before = _silo.Clock.GetUtcNow();
        await _notifier.StartAsync(CancellationToken.None);

        await BoardStream.OnNextAsync(Changed("c-1", 1));
        await Eventually.True(() => _sent.Batches.Count == 1, "the change to be sent without the clock moving on");

        Assert.True(_silo.Clock.GetUtcNow() - before < _options.Live.FlushInterval);
        var row = Assert.Single(Assert.IsType<BoardChanges>(_sent.Batches[0].Batch.Changes).Rows);
        Assert.Equal(("c-1", 1L), (row.ChildId, row.ChildVersion));
    }

    [Fact]
    public async Task Changes_right_after_a_batch_wait_until_the_interval_since_it_has_passed_and_go_as_one_batch()
    {
        var interval = _options.Live.FlushInterval;
        await _bridge.JoinAsync("connection-1", Watcher("user-1"), LiveTopic.Board(Board.ToString()));
        await _notifier.StartAsync(CancellationToken.None);
        await BoardStream.OnNextAsync(Changed("c-1", 1));
        await Eventually.True(() => _sent.Batches.Count == 1, "the first change to be sent at once");

        await BoardStream.OnNextAsync(Changed("c-1", 2));
        await BoardStream.OnNextAsync(Changed("c-2", 1));
        await BoardStream.OnNextAsync(Changed("c-1", 3));
        await Eventually.True(() => Feed().Pending == 3, "the bridge to hold the three changes");

        // Half the interval on, they are not due: a flush now sends nothing, and the notifier has sent nothing.
        _silo.Clock.Advance(interval / 2);
        await _notifier.FlushAsync();
        Assert.Single(_sent.Batches);
        Assert.Equal(3, Feed().Pending);

        _silo.Clock.Advance(interval - interval / 2);
        await Eventually.True(() => _sent.Batches.Count == 2, "the three changes to be sent once the interval has passed");
        var rows = Assert.IsType<BoardChanges>(_sent.Batches[1].Batch.Changes).Rows;
        Assert.Equal([("c-1", 3L), ("c-2", 1L)], rows.Select(r => (r.ChildId, r.ChildVersion)).Order());
        Assert.Equal(0, Feed().Pending);
    }

    [Fact]
    public async Task A_busy_group_does_not_hold_back_another_groups_first_change()
    {
        var interval = _options.Live.FlushInterval;
        var board = LiveTopic.Board(Board.ToString());
        var child = LiveTopic.Child("child-1", Caller.Coordinator("coord-1", "Priya Shah"));
        await _bridge.JoinAsync("board-browser", Watcher("user-1"), board);
        await _bridge.JoinAsync("child-browser", Watcher("user-2"), child);
        await _notifier.StartAsync(CancellationToken.None);

        // The board is busy: one batch just went, and its next change waits for the interval.
        await BoardStream.OnNextAsync(Changed("c-1", 1));
        await Eventually.True(() => _sent.Batches.Count == 1, "the board's first change to be sent at once");
        await BoardStream.OnNextAsync(Changed("c-1", 2));
        await Eventually.True(() => FeedOf(board).Pending == 1, "the board's next change to reach the bridge");
        var before = _silo.Clock.GetUtcNow();

        // A child in another region, so its registration reaches its own group and not the watched board.
        var origin = new CommandOrigin(new Actor("c", "Coordinator", ActorRole.Coordinator), "test", "t-1");
        await _silo.Grains.GetGrain<IChildGrain>("child-1").Execute(
            new RegisterChild(origin, "child-1", "943 476 5919", "Ava", "Thompson", new DateOnly(2022, 1, 1), "severn-general", "severn", []));
        await Eventually.True(() => _sent.Batches.Any(b => b.Group == child.Group), "the child's first change to be sent at once");

        Assert.True(_silo.Clock.GetUtcNow() - before < interval);
        Assert.Equal("Ava Thompson", Assert.IsType<ChildRecord>(_sent.Batches.Single(b => b.Group == child.Group).Batch.Changes).Name);
        Assert.Single(_sent.Batches, b => b.Group == board.Group);
        Assert.Equal(1, FeedOf(board).Pending);

        _silo.Clock.Advance(interval);
        await Eventually.True(() => _sent.Batches.Count(b => b.Group == board.Group) == 2, "the board's change to be sent once its interval has passed");
        var row = Assert.Single(Assert.IsType<BoardChanges>(_sent.Batches.Last(b => b.Group == board.Group).Batch.Changes).Rows);
        Assert.Equal(("c-1", 2L), (row.ChildId, row.ChildVersion));
    }

    private LiveFeed Feed() => Assert.Single(_bridge.ActiveFeeds);

    private LiveFeed FeedOf(LiveTopic topic) => Assert.Single(_bridge.ActiveFeeds, f => f.Topic.Group == topic.Group);

    private BoardSummary _summary = BoardSummary.Empty;

    /// <summary>A child's row changed, with the board's summary after it (as a board grain publishes it).</summary>
    private BoardChanged Changed(string childId, long version)
    {
        var row = new BoardRow(childId, "Child " + childId, "royal-thamesbank", "north-thames", TransitionKind.HospitalDischarge, "discharge-planning", null,
            (int)version, null, null, ImmutableDictionary<Journey.Blockers.BlockerCategory, int>.Empty, ImmutableDictionary<Journey.Services.ServiceKey, int>.Empty,
            0, 0, 0, ImmutableDictionary<Journey.Services.ServiceKey, decimal>.Empty, ImmutableDictionary<Journey.Blockers.BlockerCategory, decimal>.Empty, 0, 0,
            DateTimeOffset.UnixEpoch);
        _summary = _summary.Upsert(row);
        return BoardChanged.After(Board.ToString(), childId, version, row, _summary);
    }

    [Fact]
    public async Task A_staff_account_taken_out_of_configuration_has_its_open_views_closed_and_sent_nothing_more()
    {
        var alice = new StaffAccount { UserName = "alice", DisplayName = "Alice Green", Role = "coordinator", PasswordHash = "x" };
        var bob = new StaffAccount { UserName = "bob", DisplayName = "Bob Hale", Role = "coordinator", PasswordHash = "x" };
        _webNow.CurrentValue = new WebOptions { Staff = [alice, bob] };
        var board = LiveTopic.Board(Board.ToString());
        await _bridge.JoinAsync("alice-browser", Staff(alice), board);
        await _bridge.JoinAsync("bob-browser", Staff(bob), board);

        await _notifier.RecheckAccessAsync();
        Assert.Empty(_sent.Ended);

        _webNow.CurrentValue = new WebOptions { Staff = [bob] };
        await _notifier.RecheckAccessAsync();
        Assert.Equal([(board.Group, "alice-browser")], _sent.Ended);

        // Bob's view goes on, and Alice's connection is no longer among the group's watchers.
        await BoardStream.OnNextAsync(Changed("c-1", 1));
        await Eventually.True(() => Feed().Pending == 1, "the change to reach the bridge");
        await _notifier.FlushAsync();
        Assert.Contains(_sent.Batches, b => b.Group == board.Group && !b.Batch.AccessEnded && b.Batch.Changes is BoardChanges);
        Assert.Equal(["bob-browser"], (await _bridge.WatchingAsync(board.Group)).Select(w => w.Connection));
    }

    [Fact]
    public async Task Each_watcher_is_decided_again_before_a_change_reaches_them()
    {
        var alice = new StaffAccount { UserName = "alice", DisplayName = "Alice Green", Role = "coordinator", PasswordHash = "x" };
        _webNow.CurrentValue = new WebOptions { Staff = [alice] };
        var board = LiveTopic.Board(Board.ToString());
        await _bridge.JoinAsync("alice-browser", Staff(alice), board);

        // Taken out between two periodic rechecks: the next change is not sent to her.
        _webNow.CurrentValue = new WebOptions { Staff = [] };
        await BoardStream.OnNextAsync(Changed("c-1", 1));
        await Eventually.True(() => Feed().Pending == 1, "the change to reach the bridge");
        await _notifier.FlushAsync();

        Assert.Equal([(board.Group, "alice-browser")], _sent.Ended);
        Assert.Empty(await _bridge.WatchingAsync(board.Group));
    }

    private sealed class SentBatches : ILiveBroadcaster
    {
        private readonly ConcurrentQueue<(string Group, LiveBatch Batch)> _batches = new();

        public IReadOnlyList<(string Group, LiveBatch Batch)> Batches => [.. _batches];

        public Task SendAsync(string group, LiveBatch batch, CancellationToken cancellationToken)
        {
            _batches.Enqueue((group, batch));
            return Task.CompletedTask;
        }

        public Task EndAccessAsync(string group, IReadOnlyList<string> connections, CancellationToken cancellationToken)
        {
            _batches.Enqueue((group, new LiveBatch(group, false, null, AccessEnded: true)));
            foreach (var connection in connections) _ended.Enqueue((group, connection));
            return Task.CompletedTask;
        }

        private readonly ConcurrentQueue<(string Group, string Connection)> _ended = new();

        /// <summary>The connections told their access ended, with the group.</summary>
        public IReadOnlyList<(string Group, string Connection)> Ended => [.. _ended];
    }

    /// <summary>The demo coordinator in a demo session (which this bridge's host, in demo mode, honours), on one browser.</summary>
    private static LiveWatcher Watcher(string browser)
    {
        var coordinator = DemoUsers.Find("coordinator")!.Caller;
        return new LiveWatcher(coordinator, CallerClaims.Principal(coordinator, demo: true), new AccessChannel("hub", browser));
    }

    private static LiveWatcher Staff(StaffAccount account) => LiveWatcher.Of(Caller.Coordinator("staff." + account.UserName, account.DisplayName));
}
