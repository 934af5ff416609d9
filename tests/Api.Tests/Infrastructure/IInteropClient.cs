using System.Text.Json;

namespace CareTwin.Api.Tests.Infrastructure;

/// <summary>An independent gRPC client program: runs a scenario against a target and reports what it saw as JSON lines.</summary>
public interface IInteropClient
{
    /// <summary>Runs a scenario to its end and returns the JSON lines it printed.</summary>
    async Task<IReadOnlyList<JsonElement>> RunAsync(string scenario, Uri target, params string[] arguments)
    {
        await using var run = await StartAsync(scenario, target, arguments);
        return await run.ToEndAsync();
    }

    /// <summary>Starts a scenario whose lines the test reads while it runs.</summary>
    Task<InteropRun> StartAsync(string scenario, Uri target, params string[] arguments);
}
