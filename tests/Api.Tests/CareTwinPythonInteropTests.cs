using Orleans;
using System.Text.Json;
using CareTwin.Api.Tests.Infrastructure;
using CareTwin.Grains.Publishing;
using CareTwin.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CareTwin.Api.Tests;

/// <summary>
/// caretwin.v1 from an independent client: Debian's python3-grpcio with stubs generated at test time from the
/// same .proto files, against the API on Kestrel (127.0.0.1, free ports).
/// </summary>
public sealed class CareTwinPythonInteropTests(PythonGrpcClient python) : IClassFixture<PythonGrpcClient>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly string Year = (DateTime.UtcNow.Year + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static readonly Dictionary<string, string?> Limits = new()
    {
        ["Api:MaxMessageBytes"] = "65536",
        ["Api:MaxIngestItems"] = "3",
    };

    [Fact]
    public async Task Unary_calls_register_start_raise_and_read_a_journey_with_either_key_header()
    {
        await using var host = await CareTwinApiHost.StartKestrelAsync();

        var lines = await python.RunAsync("caretwin_unary", host.GrpcAddress, "--key", host.EprKey, "--child", "py-unary", "--year", Year);

        Assert.Equal(
            [
                "RegisterChild CHANGE_OUTCOME_ACCEPTED 1 ",
                "RegisterChild again CHANGE_OUTCOME_DUPLICATE 1 ",
                "StartTransition CHANGE_OUTCOME_ACCEPTED 2 transition-1",
                "RaiseBlocker CHANGE_OUTCOME_ACCEPTED 3 blocker-1",
            ],
            lines.Take(4).Select(l => $"{Text(l, "step")} {Text(l, "outcome")} {l.GetProperty("version").GetInt64()} {Text(l, "created_id")}"));
        var journey = lines[4];
        Assert.Equal(("9434765919", "admitted", "blocker-1"), (Text(journey, "nhs_number"), Text(journey, "stage"), Text(journey, "critical_path")));
        Assert.Equal(["blocker-1"], journey.GetProperty("blockers").EnumerateArray().Select(b => b.GetString()));
    }

    [Fact]
    public async Task A_batch_with_a_duplicate_and_a_bad_item_answers_each_and_a_replay_changes_nothing()
    {
        await using var host = await CareTwinApiHost.StartKestrelAsync();

        var lines = await python.RunAsync("caretwin_ingest", host.GrpcAddress, "--key", host.EprKey, "--child", "py-ingest", "--year", Year);

        Assert.Equal(
            [
                "0 CHANGE_OUTCOME_ACCEPTED 0  ",
                "1 CHANGE_OUTCOME_ACCEPTED 0  ",
                "2 CHANGE_OUTCOME_ACCEPTED 0  ",
                "3 CHANGE_OUTCOME_REFUSED 3 category category is required.",
                "4 CHANGE_OUTCOME_DUPLICATE 0  ",
            ],
            lines[0].GetProperty("results").EnumerateArray().Select(Result));
        Assert.Equal([3, 1, 1], Counts(lines[0]));
        Assert.Equal([0, 4, 1], Counts(lines[1]));
        Assert.All(lines[1].GetProperty("results").EnumerateArray().Select(Result).Where(r => !r.Contains("REFUSED")), r => Assert.Contains("DUPLICATE", r));
    }

    [Fact]
    public async Task A_watch_receives_a_change_made_through_another_call_and_ends_unavailable_when_the_host_stops()
    {
        await using var host = await CareTwinApiHost.StartKestrelAsync();
        using var epr = host.Client(host.EprKey);
        await epr.RegisterWithDischargeAsync("py-watch");
        await using var watch = await python.StartAsync("caretwin_watch", host.GrpcAddress, "--key", host.EprKey, "--child", "py-watch");
        Assert.Equal(2, (await watch.NextAsync().WaitAsync(Bound)).GetProperty("snapshot").GetInt64());

        await epr.AcceptedAsync("RaiseBlocker", Requests.Blocker("py-watch", "b-1", CareTwinApiHost.Ward));
        var change = await watch.NextAsync().WaitAsync(Bound);
        var stopping = host.StopAsync();
        var end = await watch.NextAsync().WaitAsync(Bound);

        Assert.Equal(3, change.GetProperty("change").GetInt64());
        Assert.Equal(["blocker-raised"], change.GetProperty("kinds").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal(["blocker-1"], change.GetProperty("blockers").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal(("UNAVAILABLE", "CareTwin is shutting down or restarting; send the request again shortly."), (Text(end, "end"), Text(end, "details")));
        await watch.ExpectSuccessAsync();
        await stopping.WaitAsync(Bound);
    }

    [Fact]
    public async Task A_watch_whose_deadline_expires_ends_deadline_exceeded_and_lets_go_of_its_subscription()
    {
        await using var host = await CareTwinApiHost.StartKestrelAsync();
        using var epr = host.Client(host.EprKey);
        await epr.RegisterWithDischargeAsync("py-deadline");

        var lines = await python.RunAsync("caretwin_watch", host.GrpcAddress, "--key", host.EprKey, "--child", "py-deadline", "--timeout", "1");

        Assert.Equal(2, lines[0].GetProperty("snapshot").GetInt64());
        Assert.Equal("DEADLINE_EXCEEDED", Text(lines[1], "end"));
        await SubscriptionsEndAsync(host, "py-deadline");
    }

    [Fact]
    public async Task A_client_cancel_ends_the_watch_and_lets_go_of_its_subscription()
    {
        await using var host = await CareTwinApiHost.StartKestrelAsync();
        using var epr = host.Client(host.EprKey);
        await epr.RegisterWithDischargeAsync("py-cancel");

        var lines = await python.RunAsync("caretwin_watch", host.GrpcAddress, "--key", host.EprKey, "--child", "py-cancel", "--cancel-after-first");

        Assert.Equal(2, lines[0].GetProperty("snapshot").GetInt64());
        Assert.Equal("CANCELLED", Text(lines[1], "end"));
        await SubscriptionsEndAsync(host, "py-cancel");
    }

    [Fact]
    public async Task Each_error_status_arrives_with_its_message()
    {
        await using var host = await CareTwinApiHost.StartKestrelAsync(Limits);
        using var epr = host.Client(host.EprKey);
        await epr.RegisterWithDischargeAsync("py-errors");
        var socialCare = await host.RaiseAsCoordinatorAsync("py-errors", CareTwinApiHost.SocialCare, Journey.Blockers.BlockerCategory.SocialCareSafeguarding);
        host.Storage.ConflictOnNextChildAppends(2);

        var lines = await python.RunAsync("caretwin_errors", host.GrpcAddress,
            "--key", host.EprKey, "--other-key", host.HousingKey, "--child", "py-errors", "--blocker", socialCare, "--year", Year);

        Assert.All(lines, l => Assert.Equal(Text(l, "expected")!.Split(' ')[0], Text(l, "code")));
        Assert.Equal(
            [
                "The child's record was changed by someone else while this change was being saved, twice in a row; send it again.",
                "nhs_number: This NHS number's check digit does not match; please check it for a typing error.",
                "transition_id: No transition 'transition-9' for this child.",
                "stage: Cannot skip 'Medically optimised': move to 'medically-optimised' first.",
                "This API key (test-housing) may not ResolveBlocker on child 'py-errors'.",
                "No API key: send it in the 'x-api-key' metadata header (or 'authorization: Bearer <key>').",
                "Received message exceeds the maximum configured message size.",
                "items holds 4 changes; a batch holds at most 3. Split it into smaller batches.",
            ],
            lines.Select(l => Text(l, "details")));
    }

    [Fact]
    public async Task Health_reports_every_caretwin_service_serving()
    {
        await using var host = await CareTwinApiHost.StartKestrelAsync();

        var lines = await python.RunAsync("caretwin_health", host.GrpcAddress);

        Assert.Equal(["'' SERVING", "'caretwin.v1.Journeys' SERVING", "'caretwin.v1.Ingest' SERVING", "'caretwin.v1.Watch' SERVING"],
            lines.Select(l => $"'{Text(l, "service")}' {Text(l, "status")}"));
    }

    private static Task SubscriptionsEndAsync(CareTwinApiHost host, string childId)
    {
        var stream = host.Services.GetRequiredService<IClusterClient>().GetStreamProvider(JourneyStreams.ProviderName).ChildStream(childId);
        return Eventually.True(() => stream.GetAllSubscriptionHandles().GetAwaiter().GetResult().Count == 0, $"the watch on {childId} unsubscribes");
    }

    private static string Result(JsonElement r) =>
        $"{r[0].GetInt32()} {r[1].GetString()} {r[2].GetInt32()} {r[3].GetString()} {r[4].GetString()}";

    private static int[] Counts(JsonElement line) =>
        [line.GetProperty("accepted").GetInt32(), line.GetProperty("duplicates").GetInt32(), line.GetProperty("refused").GetInt32()];

    private static string? Text(JsonElement line, string name) =>
        line.TryGetProperty(name, out var value) ? value.GetString() : null;
}
