using System.Text.RegularExpressions;
using CareTwin.Api.Contracts.V1;
using CareTwin.Api.Tests.Infrastructure;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace CareTwin.Api.Tests;

/// <summary>
/// A failure CareTwin does not know (here the store throws a plain exception while a twin loads) reaches the caller
/// as INTERNAL quoting a trace id and nothing of the exception; the operator finds the exception in the log under
/// that trace id, once; and the node goes on serving.
/// </summary>
public sealed partial class UnexpectedFailureTests : InMemoryApiTests
{
    /// <summary>What an exception from a database driver may carry and a caller must never see.</summary>
    private const string Secret = "Host=db.internal;Username=caretwin;Password=hunter2-not-for-callers";

    [Fact]
    public async Task An_unexpected_failure_answers_internal_with_a_trace_id_and_not_its_text_is_logged_once_as_an_error_and_the_node_goes_on()
    {
        Host.Storage.FailNextLoadOf("unexpected-call", new InvalidOperationException($"Could not read: {Secret}"));

        var failed = await Epr.ChangeAsync("RegisterChild", Requests.Register("unexpected-call"));
        var after = await Epr.ChangeAsync("RegisterChild", Requests.Register("unexpected-call"));

        Assert.Equal(StatusCode.Internal, failed.Status);
        var traceId = TraceIdIn(failed.Message);
        AssertLoggedOnceAsError(traceId);
        Assert.Equal(ChangeOutcome.Accepted, after.Reply!.Outcome);
    }

    [Fact]
    public async Task An_unexpected_failure_of_one_ingest_item_answers_that_item_internal_with_a_trace_id_and_the_rest_of_the_batch_goes_on()
    {
        Host.Storage.FailNextLoadOf("unexpected-item-b", new InvalidOperationException($"Could not read: {Secret}"));
        var batch = new IngestRequest
        {
            Items =
            {
                new IngestItem { RegisterChild = Requests.Register("unexpected-item-a") },
                new IngestItem { RegisterChild = Requests.Register("unexpected-item-b") },
                new IngestItem { RegisterChild = Requests.Register("unexpected-item-c") },
            },
        };

        var reply = (await Epr.IngestAsync(batch)).Reply!;
        var resent = (await Epr.IngestAsync(batch)).Reply!;

        Assert.Equal(
            [(0, ChangeOutcome.Accepted, 0), (1, ChangeOutcome.Refused, (int)StatusCode.Internal), (2, ChangeOutcome.Accepted, 0)],
            reply.Results.Select(r => (r.Index, r.Outcome, r.StatusCode)));
        Assert.Equal((2, 0, 1), (reply.Accepted, reply.Duplicates, reply.Refused));
        var traceId = TraceIdIn(reply.Results[1].Message);
        AssertLoggedOnceAsError(traceId);
        Assert.Equal([ChangeOutcome.Duplicate, ChangeOutcome.Accepted, ChangeOutcome.Duplicate], resent.Results.Select(r => r.Outcome));
    }

    /// <summary>The whole answer is the fixed sentence with a trace id: no exception type, no exception text.</summary>
    private static string TraceIdIn(string? message)
    {
        var match = InternalAnswer().Match(message ?? "");
        Assert.True(match.Success, $"Not the INTERNAL answer: {message}");
        return match.Groups["id"].Value;
    }

    /// <summary>One error names the trace id and carries the exception, so the operator can find what happened.</summary>
    private void AssertLoggedOnceAsError(string traceId)
    {
        var errors = Host.Logs.Entries.Where(e => e.Level >= LogLevel.Error && e.Message.Contains(traceId, StringComparison.Ordinal)).ToList();
        var logged = Assert.Single(errors);
        Assert.Contains(Secret, logged.Exception?.ToString());
        Assert.Single(Host.Logs.Entries, e => e.Level >= LogLevel.Error && e.Category.StartsWith("CareTwin.Api", StringComparison.Ordinal));
        Assert.DoesNotContain(Host.Logs.Entries, e => e.Level >= LogLevel.Error && e.Category.StartsWith("Grpc", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^An internal error occurred \(trace id (?<id>[^ ()]+)\)\.$")]
    private static partial Regex InternalAnswer();
}
