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

    /// <summary>An Ingest item result as "index outcome status_code field message".</summary>
    public static string Result(JsonElement r) =>
        $"{r[0].GetInt32()} {r[1].GetString()} {r[2].GetInt32()} {r[3].GetString()} {r[4].GetString()}";

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
