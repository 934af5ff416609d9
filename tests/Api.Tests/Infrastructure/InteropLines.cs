using System.Text.Json;
using CareTwin.Grains.Publishing;
using CareTwin.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans;

namespace CareTwin.Api.Tests.Infrastructure;

/// <summary>Reading the JSON lines the interop clients print, and what the server holds after their watches.</summary>
public static class InteropLines
{
    public static string? Text(JsonElement line, string name) =>
        line.TryGetProperty(name, out var value) ? value.GetString() : null;

    /// <summary>An Ingest item result as "index outcome", then "status_code field: message" if refused and "created id" if any.</summary>
    public static string Result(JsonElement r) =>
        $"{r[0].GetInt32()} {r[1].GetString()}"
        + (r[2].GetInt32() == 0 ? "" : $" {r[2].GetInt32()} {r[3].GetString()}: {r[4].GetString()}")
        + (r[5].GetString() is { Length: > 0 } created ? $" created {created}" : "");

    /// <summary>
    /// What both interop clients' caretwin_ingest scenario must see: one batch registers a child, starts its transition,
    /// raises a blocker on it and updates that blocker by the client's own external ids; the replay is all DUPLICATE
    /// (the bad item refused again) with the ids each change created; the blocker keeps who raised it.
    /// </summary>
    public static void AssertOneBatchByReferences(IReadOnlyList<JsonElement> lines)
    {
        Assert.Equal(
            [
                "0 CHANGE_OUTCOME_ACCEPTED",
                "1 CHANGE_OUTCOME_ACCEPTED created transition-1",
                "2 CHANGE_OUTCOME_ACCEPTED created blocker-1",
                "3 CHANGE_OUTCOME_REFUSED 3 category: category is required.",
                "4 CHANGE_OUTCOME_ACCEPTED",
                "5 CHANGE_OUTCOME_DUPLICATE",
            ],
            lines[0].GetProperty("results").EnumerateArray().Select(Result));
        Assert.Equal([4, 1, 1], Counts(lines[0]));
        Assert.Equal(
            [
                "0 CHANGE_OUTCOME_DUPLICATE",
                "1 CHANGE_OUTCOME_DUPLICATE created transition-1",
                "2 CHANGE_OUTCOME_DUPLICATE created blocker-1",
                "3 CHANGE_OUTCOME_REFUSED 3 category: category is required.",
                "4 CHANGE_OUTCOME_DUPLICATE",
                "5 CHANGE_OUTCOME_DUPLICATE",
            ],
            lines[1].GetProperty("results").EnumerateArray().Select(Result));
        Assert.Equal([0, 5, 1], Counts(lines[1]));
        Assert.Equal(
            ["blocker-1 transition-1 BLOCKER_STATUS_IN_PROGRESS test-epr blocker-1"],
            lines[2].GetProperty("blockers").EnumerateArray().Select(b => string.Join(' ', b.EnumerateArray().Select(v => v.GetString()))));
    }

    /// <summary>An Ingest reply's [accepted, duplicates, refused].</summary>
    public static int[] Counts(JsonElement line) =>
        [line.GetProperty("accepted").GetInt32(), line.GetProperty("duplicates").GetInt32(), line.GetProperty("refused").GetInt32()];

    public static IEnumerable<string?> Strings(JsonElement line, string name) =>
        line.GetProperty(name).EnumerateArray().Select(s => s.GetString());

    /// <summary>
    /// Opens a health watch with <paramref name="start"/>, reads its first status, stops the host as a shutdown
    /// would, and reads the watch to its end: the first status and every line after the stop.
    /// </summary>
    public static async Task<(JsonElement First, IReadOnlyList<JsonElement> AfterStop)> HealthWatchAcrossStopAsync(
        CareTwinApiHost host, Func<Task<InteropRun>> start)
    {
        var bound = TimeSpan.FromSeconds(30);
        await using var watch = await start();
        var first = await watch.NextAsync().WaitAsync(bound);
        var stopping = host.StopAsync();
        var afterStop = await watch.ToEndAsync().WaitAsync(bound);
        await stopping.WaitAsync(bound);
        return (first, afterStop);
    }

    /// <summary>The server let go of every stream subscription on the child's journey (no watch holds one).</summary>
    public static Task SubscriptionsEndAsync(CareTwinApiHost host, string childId)
    {
        var stream = host.Services.GetRequiredService<IClusterClient>().GetStreamProvider(JourneyStreams.ProviderName).ChildStream(childId);
        return Eventually.True(async () => (await stream.GetAllSubscriptionHandles()).Count == 0, $"the watch on {childId} unsubscribes");
    }
}
