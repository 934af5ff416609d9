using CareTwin.Api.Tests.Infrastructure;
using static CareTwin.Api.Tests.Infrastructure.InteropLines;

namespace CareTwin.Api.Tests;

/// <summary>
/// What any gRPC client written against the protos and docs/external-systems.md must see, run with each independent
/// client (python3-grpcio, @grpc/grpc-js) against the API on Kestrel (127.0.0.1, free ports). Both clients print the
/// same JSON lines per scenario. Scenarios that neither stop the host nor change its limits share one host; the
/// others start their own.
/// </summary>
public abstract class InteropContractTests<TClient>(TClient client, SharedKestrelHost shared)
    where TClient : class, IInteropClient
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly string Year = (DateTime.UtcNow.Year + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
    private const string ShuttingDown = "CareTwin is shutting down or restarting; send the request again shortly.";

    private static readonly Dictionary<string, string?> Limits = new()
    {
        ["Api:MaxMessageBytes"] = "65536",
        ["Api:MaxIngestItems"] = "3",
    };

    private CareTwinApiHost Host => shared.Host;

    private IInteropClient Client => client;

    /// <summary>Each client's children have their own ids, so the two classes never share a child.</summary>
    protected abstract string Prefix { get; }

    private string Child(string name) => $"{Prefix}-{name}";

    [Fact]
    public async Task Unary_calls_register_start_raise_and_read_a_journey_with_either_key_header()
    {
        var lines = await Client.RunAsync("caretwin_unary", Host.GrpcAddress, "--key", Host.EprKey, "--child", Child("unary"), "--year", Year);

        Assert.Equal(
            [
                "RegisterChild CHANGE_OUTCOME_ACCEPTED 1 ",
                "RegisterChild again CHANGE_OUTCOME_DUPLICATE 1 ",
                "StartTransition CHANGE_OUTCOME_ACCEPTED 2 transition-1",
                "RaiseBlocker CHANGE_OUTCOME_ACCEPTED 3 blocker-1",
            ],
            lines.Take(4).Select(l => $"{Text(l, "step")} {Text(l, "outcome")} {l.GetProperty("version").GetInt64()} {Text(l, "created_id")}"));
        // Read with `authorization: Bearer <key>` instead of x-api-key; int64 arrives as a JSON number (longs: Number).
        var journey = lines[4];
        Assert.Equal((3L, "9434765919", "admitted", "blocker-1"),
            (journey.GetProperty("version").GetInt64(), Text(journey, "nhs_number"), Text(journey, "stage"), Text(journey, "critical_path")));
        Assert.Equal(["blocker-1"], Strings(journey, "blockers"));
    }

    [Fact]
    public async Task One_batch_by_the_clients_own_ids_answers_each_item_and_a_replay_is_duplicate_with_the_created_ids()
    {
        var lines = await Client.RunAsync("caretwin_ingest", Host.GrpcAddress, "--key", Host.EprKey, "--child", Child("ingest"), "--year", Year);

        AssertOneBatchByReferences(lines);
        using var epr = Host.Client(Host.EprKey);
        Assert.Equal(4, (await epr.GetJourneyAsync(Child("ingest"))).Reply!.Version);
    }

    [Fact]
    public async Task A_journey_read_carries_where_each_concern_got_to_with_the_answer_and_the_familys_figures()
    {
        using var epr = Host.Client(Host.EprKey);
        await FamilyScenario.ArrangeAsync(Host, epr, Child("family"));

        var lines = await Client.RunAsync("caretwin_family", Host.GrpcAddress, "--key", Host.EprKey, "--child", Child("family"));

        Assert.Equal(
            [
                $"message-1 CONCERN_STATUS_CLOSED '{FamilyScenario.Answer}' by 'Test Coordinator' read True closed True",
                "message-2 CONCERN_STATUS_OPEN '' by '' read False closed False",
                "message-3 CONCERN_STATUS_UNSPECIFIED '' by '' read False closed False",
            ],
            lines[0].GetProperty("messages").EnumerateArray().Select(m =>
                $"{m[0].GetString()} {m[1].GetString()} '{m[2].GetString()}' by '{m[3].GetString()}' read {m[4].GetBoolean()} closed {m[5].GetBoolean()}"));
        var figures = lines[1];
        Assert.Equal([30, 3, 2, 2.5, 1], figures.GetProperty("burden").EnumerateArray().Select(n => n.GetDouble()));
        Assert.Equal((4.0, 1650, 12.0), (figures.GetProperty("hours").GetDouble(), figures.GetProperty("money_pence").GetInt64(), figures.GetProperty("hours_off_work").GetDouble()));
        Assert.EndsWith("4 hours in all.", Text(figures, "hours_worked_out"), StringComparison.Ordinal);
        Assert.StartsWith("1 trip × £16.50 (£12.50 a trip + £4.00 parking) = £16.50.", Text(figures, "money_worked_out"), StringComparison.Ordinal);
        Assert.Equal("TRAVEL_MODE_CAR 45 1250 400", string.Join(" ", figures.GetProperty("travel").EnumerateArray().Select(v => v.ToString())));
        Assert.Equal(2, lines.Count);
    }

    [Fact]
    public async Task A_watch_receives_a_change_made_through_another_client_and_ends_unavailable_when_the_host_stops()
    {
        await using var host = await CareTwinApiHost.StartKestrelAsync();
        using var epr = host.Client(host.EprKey);
        await epr.RegisterWithDischargeAsync(Child("watch"));
        await using var watch = await Client.StartAsync("caretwin_watch", host.GrpcAddress, "--key", host.EprKey, "--child", Child("watch"));
        Assert.Equal(2, (await watch.NextAsync().WaitAsync(Bound)).GetProperty("snapshot").GetInt64());

        await epr.AcceptedAsync("RaiseBlocker", Requests.Blocker(Child("watch"), "b-1", CareTwinApiHost.Ward));
        var change = await watch.NextAsync().WaitAsync(Bound);
        var stopping = host.StopAsync();
        var end = await watch.NextAsync().WaitAsync(Bound);

        Assert.Equal(3, change.GetProperty("change").GetInt64());
        Assert.Equal(["blocker-raised"], Strings(change, "kinds"));
        Assert.Equal(["blocker-1"], Strings(change, "blockers"));
        Assert.Equal(("UNAVAILABLE", ShuttingDown), (Text(end, "end"), Text(end, "details")));
        await watch.ExpectSuccessAsync();
        await stopping.WaitAsync(Bound);
    }

    [Fact]
    public async Task A_watch_whose_deadline_expires_ends_deadline_exceeded_and_lets_go_of_its_subscription()
    {
        using var epr = Host.Client(Host.EprKey);
        await epr.RegisterWithDischargeAsync(Child("deadline"));

        var lines = await Client.RunAsync("caretwin_watch", Host.GrpcAddress, "--key", Host.EprKey, "--child", Child("deadline"), "--timeout", "1");

        Assert.Equal(2, lines[0].GetProperty("snapshot").GetInt64());
        Assert.Equal("DEADLINE_EXCEEDED", Text(lines[1], "end"));
        Assert.Equal(2, lines.Count);
        await SubscriptionsEndAsync(Host, Child("deadline"));
    }

    [Fact]
    public async Task A_client_cancel_ends_the_watch_and_lets_go_of_its_subscription()
    {
        using var epr = Host.Client(Host.EprKey);
        await epr.RegisterWithDischargeAsync(Child("cancel"));

        var lines = await Client.RunAsync("caretwin_watch", Host.GrpcAddress, "--key", Host.EprKey, "--child", Child("cancel"), "--cancel-after-first");

        Assert.Equal(2, lines[0].GetProperty("snapshot").GetInt64());
        Assert.Equal("CANCELLED", Text(lines[1], "end"));
        Assert.Equal(2, lines.Count);
        await SubscriptionsEndAsync(Host, Child("cancel"));
    }

    [Fact]
    public async Task Each_error_status_arrives_with_its_message()
    {
        await using var host = await CareTwinApiHost.StartKestrelAsync(Limits);
        using var epr = host.Client(host.EprKey);
        await epr.RegisterWithDischargeAsync(Child("errors"));
        var socialCare = await host.RaiseAsCoordinatorAsync(Child("errors"), CareTwinApiHost.SocialCare, Journey.Blockers.BlockerCategory.SocialCareSafeguarding);
        host.Storage.ConflictOnNextChildAppends(2);

        var lines = await Client.RunAsync("caretwin_errors", host.GrpcAddress,
            "--key", host.EprKey, "--other-key", host.HousingKey, "--child", Child("errors"), "--blocker", socialCare, "--year", Year, "--max-items", "3");

        Assert.Equal(
            [
                "ABORTED ABORTED",
                "INVALID_ARGUMENT INVALID_ARGUMENT",
                "NOT_FOUND NOT_FOUND",
                "FAILED_PRECONDITION FAILED_PRECONDITION",
                "PERMISSION_DENIED PERMISSION_DENIED",
                "UNAUTHENTICATED UNAUTHENTICATED",
                "RESOURCE_EXHAUSTED RESOURCE_EXHAUSTED",
                "INVALID_ARGUMENT (batch) INVALID_ARGUMENT",
                "UNIMPLEMENTED UNIMPLEMENTED",
            ],
            lines.Select(l => $"{Text(l, "expected")} {Text(l, "code")}"));
        Assert.Equal(
            [
                "The child's record was changed by someone else while this change was being saved, twice in a row; send it again.",
                "nhs_number: This NHS number's check digit does not match; please check it for a typing error.",
                "transition_id: No transition 'transition-9' for this child.",
                "stage: Cannot skip 'Medically optimised': move to 'medically-optimised' first.",
                $"This API key (test-housing) may not ResolveBlocker on child '{Child("errors")}'.",
                "No API key: send it in the 'x-api-key' metadata header (or 'authorization: Bearer <key>').",
                "Received message exceeds the maximum configured message size.",
                "items holds 4 changes; a batch holds at most 3. Split it into smaller batches.",
                "Method is unimplemented.",
            ],
            lines.Select(l => Text(l, "details")));
    }

    [Fact]
    public async Task Health_reports_every_caretwin_service_serving_and_an_unknown_one_not_found()
    {
        var lines = await Client.RunAsync("caretwin_health", Host.GrpcAddress);

        Assert.Equal(
            ["'' SERVING", "'caretwin.v1.Journeys' SERVING", "'caretwin.v1.Ingest' SERVING", "'caretwin.v1.Watch' SERVING", "'caretwin.v1.Unknown' NOT_FOUND"],
            lines.Select(l => $"'{Text(l, "service")}' {Text(l, "status") ?? Text(l, "code")}"));
    }

    /// <summary>The documented order on shutdown: a health watcher hears NOT_SERVING, then its stream ends UNAVAILABLE.</summary>
    [Fact]
    public async Task A_health_watch_hears_not_serving_then_its_stream_ends_unavailable_when_the_host_stops()
    {
        await using var host = await CareTwinApiHost.StartKestrelAsync();

        var (first, afterStop) = await HealthWatchAcrossStopAsync(host, () => Client.StartAsync("caretwin_health_watch", host.GrpcAddress, "--service", "caretwin.v1.Journeys"));

        Assert.Equal(("caretwin.v1.Journeys", "SERVING"), (Text(first, "service"), Text(first, "status")));
        Assert.Equal(["NOT_SERVING", "UNAVAILABLE"], afterStop.Select(l => Text(l, "status") ?? Text(l, "end")));
        Assert.Equal(ShuttingDown, Text(afterStop[^1], "details"));
    }

    [Fact]
    public async Task Reflection_lists_the_services_without_a_key()
    {
        var lines = await Client.RunAsync("caretwin_reflection", Host.GrpcAddress);

        Assert.Equal(
            ["caretwin.v1.Ingest", "caretwin.v1.Journeys", "caretwin.v1.Watch", "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"],
            Strings(lines[0], "services").Order());
        Assert.Equal("OK", Text(lines[1], "end"));
    }
}
