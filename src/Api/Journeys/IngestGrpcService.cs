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
/// caretwin.v1.Ingest: a batch of changes from one system, each applied like its single Journeys call and
/// answered on its own. Items of one child run in request order; children run side by side.
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
            async (child, _) =>
            {
                foreach (var index in child)
                    results[index] = await ApplyAsync(call, index, items[index]);
            });

        var reply = new IngestReply
        {
            Accepted = results.Count(r => r.Outcome == ChangeOutcome.Accepted),
            Duplicates = results.Count(r => r.Outcome == ChangeOutcome.Duplicate),
            Refused = results.Count(r => r.Outcome == ChangeOutcome.Refused),
        };
        reply.Results.AddRange(results);
        return reply;
    }

    private async Task<IngestItemResult> ApplyAsync(ExternalCall call, int index, IngestItem item)
    {
        var request = item.Request;
        var result = new IngestItemResult { Index = index, ChildId = request?.ChildId ?? "", ExternalId = request?.ExternalId ?? "" };
        ApiError error;
        try
        {
            var outcome = await changes.ApplyAsync(call, request ?? throw ApiStatusMapper.Invalid($"items[{index}]", $"items[{index}] sets no change."));
            var reply = Mapping.ProtoViews.Reply(outcome);
            result.Outcome = reply.Outcome;
            result.Version = reply.Version;
            result.CreatedId = reply.CreatedId;
            return result;
        }
        catch (Exception exception) when (!call.Cancellation.IsCancellationRequested)
        {
            // One item's failure is that item's result; the rest of the batch goes on.
            error = ApiStatusMapper.Describe(exception) ?? Unexpected(exception, index, call.TraceId);
        }

        result.Outcome = ChangeOutcome.Refused;
        result.StatusCode = (int)error.Code;
        result.Field = error.Field ?? "";
        result.Message = error.Message;
        return result;
    }

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
