using System.Security.Claims;
using CareTwin.Web.Live;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace CareTwin.Web.Tests.Live;

/// <summary>What an operator reads in the log when hub calls fail: a refusal is a quiet line, a node leaving a warning, a fault an error.</summary>
public sealed class HubCallLogTests
{
    private readonly Lines _log = new();

    [Fact]
    public async Task A_refused_call_is_one_information_line_naming_the_method_and_reason_and_the_caller_still_gets_the_refusal()
    {
        var refused = await Assert.ThrowsAsync<HubException>(() => InvokeAsync(new HubException("targetDate: targetDate is in the past.")));

        Assert.Equal("targetDate: targetDate is in the past.", refused.Message);
        var line = Assert.Single(_log.Written);
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Equal("Hub call RaiseBlocker refused: targetDate: targetDate is in the past.", line.Message);
        Assert.Null(line.Exception);
    }

    [Fact]
    public async Task A_fault_is_an_error_with_its_exception()
    {
        var fault = new InvalidOperationException("storage went away");

        Assert.Same(fault, await Assert.ThrowsAsync<InvalidOperationException>(() => InvokeAsync(fault)));

        var line = Assert.Single(_log.Written);
        Assert.Equal(LogLevel.Error, line.Level);
        Assert.Same(fault, line.Exception);
    }

    [Fact]
    public async Task A_node_of_the_cluster_leaving_tells_the_caller_to_try_again_and_is_a_warning()
    {
        var lost = new SiloUnavailableException("Silo S127.0.0.1:11111:1 is unavailable");

        var told = await Assert.ThrowsAsync<HubException>(() => InvokeAsync(lost));

        Assert.StartsWith($"{HubCallLog.TryAgain}: ", told.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("11111", told.Message, StringComparison.Ordinal);
        var line = Assert.Single(_log.Written);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Contains("RaiseBlocker", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_call_that_succeeds_writes_nothing()
    {
        var filter = new HubCallLog(_log);
        Assert.Equal("done", await filter.InvokeMethodAsync(HubInvocations.Of(), _ => ValueTask.FromResult<object?>("done")));
        Assert.Empty(_log.Written);
    }

    private async Task InvokeAsync(Exception thrown) =>
        await new HubCallLog(_log).InvokeMethodAsync(HubInvocations.Of(), _ => ValueTask.FromException<object?>(thrown));

    private sealed class Lines : ILogger<HubCallLog>
    {
        public List<(LogLevel Level, string Message, Exception? Exception)> Written { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Written.Add((logLevel, formatter(state, exception), exception));
    }
}
