using System.Diagnostics;
using System.Text.Json;

namespace CareTwin.Api.Tests.Infrastructure;

/// <summary>A running script: its JSON lines as they come, bounded in time, killed if it overstays.</summary>
public sealed class InteropRun : IAsyncDisposable
{
    private readonly Process _process;
    private readonly CancellationTokenSource _limit;
    private readonly Task<string> _error;

    public InteropRun(Process process, TimeSpan limit)
    {
        _process = process;
        _limit = new CancellationTokenSource(limit);
        _error = process.StandardError.ReadToEndAsync(_limit.Token);
    }

    /// <summary>Every JSON line to the script's end, which must be a clean exit.</summary>
    public async Task<IReadOnlyList<JsonElement>> ToEndAsync()
    {
        var lines = new List<JsonElement>();
        while (await NextOrEndAsync() is { } line)
        {
            lines.Add(line);
        }

        await ExpectSuccessAsync();
        return lines;
    }

    /// <summary>The next JSON line; fails if the script ends first.</summary>
    public async Task<JsonElement> NextAsync() =>
        await NextOrEndAsync() ?? throw new InvalidOperationException($"The interop client ended early: {await ErrorAsync()}");

    public async Task<JsonElement?> NextOrEndAsync()
    {
        var line = await _process.StandardOutput.ReadLineAsync(_limit.Token);
        return line is null ? null : JsonDocument.Parse(line).RootElement.Clone();
    }

    public async Task ExpectSuccessAsync()
    {
        var (exitCode, error) = await WaitAsync();
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"The interop client exited with {exitCode}: {error}");
        }
    }

    public async Task<(int ExitCode, string Error)> WaitAsync()
    {
        await _process.WaitForExitAsync(_limit.Token);
        return (_process.ExitCode, await _error);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(); // only the process this run started
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _limit.Dispose();
    }

    private async Task<string> ErrorAsync()
    {
        await _process.WaitForExitAsync(_limit.Token);
        return await _error;
    }
}
