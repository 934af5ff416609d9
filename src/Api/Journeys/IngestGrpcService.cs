using CareTwin.Api.Authentication;
using CareTwin.Api.Calls;
using CareTwin.Api.Contracts.V1;
using CareTwin.Api.Errors;
using CareTwin.Grains.Access;
using CareTwin.Grains.Children;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CareTwin.Api.Journeys;

/// <summary>
/// caretwin.v1.Ingest: a batch of changes from one system, each answered on its own as its single Journeys call
/// would be. Items of one child are decided in request order and committed together; children run side by side.
/// </summary>
public sealed partial class IngestGrpcService(
    CallAdmission admission,
    CallRateLimiter limiter,
    JourneyChanges changes,
    IOptions<ApiOptions> options,
    ILogger<IngestGrpcService> logger) : Contracts.V1.Ingest.IngestBase
{
    /// <summary>
    /// Children worked on at once within one batch; bounds grain calls in flight, not threads. Enough that a full batch's
    /// journal and audit appends arrive together and share the store's group commits (16 left most of a commit empty).
    /// </summary>
    public const int ChildrenInParallel = 64;

    private readonly int _maxItems = options.Value.MaxIngestItems;

    public override async Task<IngestReply> Ingest(IngestRequest request, ServerCallContext context)
    {
        var items = request.Items;
        var call = await admission.AuthenticateAsync(
            context, AccessAction.ChangeChild, JourneysGrpcService.Subjects(items.Take(_maxItems).Select(i => i.Request?.ChildId)));
        if (items.Count == 0)
            throw ApiStatusMapper.Invalid("items", "items is empty; a batch needs at least one item.");
        if (items.Count > _maxItems)
            throw ApiStatusMapper.Invalid("items", $"items holds {items.Count} changes; a batch holds at most {_maxItems}. Split it into smaller batches.");
        limiter.TakeForKey(call.Caller.Id, items.Count);

        var results = new IngestItemResult[items.Count];
        var children = Enumerable.Range(0, items.Count).GroupBy(i => items[i].Request?.ChildId ?? "", StringComparer.Ordinal);
        await Parallel.ForEachAsync(children, new ParallelOptions { MaxDegreeOfParallelism = ChildrenInParallel, CancellationToken = call.Cancellation },
            async (child, _) => await ApplyChildAsync(call, child, items, results));

        var reply = new IngestReply
        {
            Accepted = results.Count(r => r.Outcome == ChangeOutcome.Accepted),
            Duplicates = results.Count(r => r.Outcome == ChangeOutcome.Duplicate),
            Refused = results.Count(r => r.Outcome == ChangeOutcome.Refused),
        };
        reply.Results.AddRange(results);
        return reply;
    }

    /// <summary>
    /// One child's items, in request order. Items that cannot make a change are answered on their own; the rest go to
    /// the twin as one batch (decided, audited and committed together), or one by one for a caller a batch does not take.
    /// </summary>
    private async Task ApplyChildAsync(ExternalCall call, IEnumerable<int> indexes, IList<IngestItem> items, IngestItemResult[] results)
    {
        var ready = new List<(int Index, PreparedChange Change)>();
        foreach (var index in indexes)
        {
            try
            {
                var request = items[index].Request ?? throw ApiStatusMapper.Invalid($"items[{index}]", $"items[{index}] sets no change.");
                ready.Add((index, JourneyChanges.Prepare(call, request)));
            }
            catch (Exception exception) when (!call.Cancellation.IsCancellationRequested)
            {
                results[index] = Failed(call, index, items[index], exception);
            }
        }
        if (ready.Count == 0)
            return;

        if (!ChangeBatch.Takes(call.Caller))
        {
            foreach (var (index, change) in ready)
            {
                try
                {
                    results[index] = Answered(index, items[index], await changes.ApplyAsync(call, change));
                }
                catch (Exception exception) when (!call.Cancellation.IsCancellationRequested)
                {
                    results[index] = Failed(call, index, items[index], exception);
                }
            }
            return;
        }

        try
        {
            var answers = await changes.ApplyTogetherAsync(call, ready[0].Change.ChildId, [.. ready.Select(r => r.Change)]);
            for (var i = 0; i < ready.Count; i++)
            {
                var index = ready[i].Index;
                results[index] = answers[i] switch
                {
                    { Failure: { } failure } => Failed(call, index, items[index], failure),
                    { Outcome: { } outcome } => Answered(index, items[index], outcome),
                    _ => throw new InvalidOperationException($"Item {index} has neither an outcome nor a failure."),
                };
            }
        }
        catch (Exception exception) when (!call.Cancellation.IsCancellationRequested)
        {
            // What failed the child's whole batch (its trail or journal) is each of its items' answer.
            var error = ApiStatusMapper.Describe(exception) ?? Unexpected(exception, ready[0].Index, call.TraceId);
            foreach (var (index, _) in ready)
                results[index] = Refused(index, items[index], error);
        }
    }

    private static IngestItemResult Answered(int index, IngestItem item, CommandOutcome outcome)
    {
        var reply = Mapping.ProtoViews.Reply(outcome);
        var result = Result(index, item);
        result.Outcome = reply.Outcome;
        result.Version = reply.Version;
        result.CreatedId = reply.CreatedId;
        return result;
    }

    // One item's failure is that item's result; the rest of the batch goes on.
    private IngestItemResult Failed(ExternalCall call, int index, IngestItem item, Exception exception) =>
        Refused(index, item, ApiStatusMapper.Describe(exception) ?? Unexpected(exception, index, call.TraceId));

    private static IngestItemResult Refused(int index, IngestItem item, ApiError error)
    {
        var result = Result(index, item);
        result.Outcome = ChangeOutcome.Refused;
        result.StatusCode = (int)error.Code;
        result.Field = error.Field ?? "";
        result.Message = error.Message;
        return result;
    }

    private static IngestItemResult Result(int index, IngestItem item) =>
        new() { Index = index, ChildId = item.Request?.ChildId ?? "", ExternalId = item.Request?.ExternalId ?? "" };

    private ApiError Unexpected(Exception exception, int index, string traceIdentifier)
    {
        Log.ItemFailed(logger, exception, index, traceIdentifier);
        return new ApiError(StatusCode.Internal, null, $"An internal error occurred (trace id {traceIdentifier}).");
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Ingest item {Index} failed unexpectedly (trace id {TraceIdentifier}); the item is answered INTERNAL")]
        public static partial void ItemFailed(ILogger logger, Exception exception, int index, string traceIdentifier);
    }
}
