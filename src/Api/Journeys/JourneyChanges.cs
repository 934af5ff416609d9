using System.Collections.Immutable;
using CareTwin.Storage;
using CareTwin.Api.Calls;
using CareTwin.Api.Contracts.V1;
using CareTwin.Api.Mapping;
using CareTwin.Api.Errors;
using CareTwin.Grains.Access;
using CareTwin.Grains.Children;
using CareTwin.Journey.Decisions;
using Microsoft.Extensions.Logging;

namespace CareTwin.Api.Journeys;

/// <summary>A pushed change made ready for its twin: the child it is for and the journey command the proto became.</summary>
public sealed record PreparedChange(IChangeRequest Request, string ChildId, JourneyCommand Command);

/// <summary>What became of one change of a batch: accepted or duplicate, or the failure the caller is told (not thrown).</summary>
public sealed record ChangeResult(CommandOutcome? Outcome, Exception? Failure);

/// <summary>
/// Carries pushed changes to their child's twin: the proto becomes a journey command, the access policy decides
/// (and the trail records it), the twin decides by the journey rules. Shared by the Journeys calls and every Ingest
/// item, so a change means the same whichever way it arrives.
/// </summary>
public sealed partial class JourneyChanges(AccessGate gate, IGrainFactory grains, ILogger<JourneyChanges> logger)
{
    /// <summary>The child and command of a change; throws <see cref="RefusalException"/> when the proto cannot make one.</summary>
    public static PreparedChange Prepare(ExternalCall call, IChangeRequest request)
    {
        var childId = ProtoInput.ChildId(request.ChildId);
        return new PreparedChange(request, childId, request.ToCommand(call.OriginFor(request.ExternalId)));
    }

    /// <summary>Accepted or duplicate; anything else throws (a <see cref="RefusalException"/>, an access denial, ...).</summary>
    public Task<CommandOutcome> ApplyAsync(ExternalCall call, IChangeRequest request) => ApplyAsync(call, Prepare(call, request));

    /// <inheritdoc cref="ApplyAsync(ExternalCall, IChangeRequest)"/>
    public async Task<CommandOutcome> ApplyAsync(ExternalCall call, PreparedChange change)
    {
        var access = await gate.ForChildAsync(call.Caller, AccessAction.ChangeChild, change.ChildId, call.Channel, change.Command).WaitAsync(call.Cancellation);
        if (Failure(call, change, access.Decision, null) is { } denied)
            throw denied;
        var child = grains.GetGrain<IChildGrain>(change.ChildId);
        var outcome = await OnceMoreIfConflicted(change.ChildId, () => child.Execute(change.Command), call.Cancellation);
        return Failure(call, change, access.Decision, outcome) is { } refused ? throw refused : outcome;
    }

    /// <summary>
    /// Changes of one child from a staff member or system (<see cref="ChangeBatch.Takes"/>), decided and committed
    /// together in its twin, each answered as <see cref="ApplyAsync(ExternalCall, PreparedChange)"/> would answer it
    /// alone. Throws only for what fails them all (the trail or the journal could not take them).
    /// </summary>
    public async Task<ImmutableArray<ChangeResult>> ApplyTogetherAsync(ExternalCall call, string childId, IReadOnlyList<PreparedChange> changes)
    {
        var batch = new ChangeBatch(call.Caller, call.Channel, [.. changes.Select(c => c.Command)]);
        var child = grains.GetGrain<IChildGrain>(childId);
        var results = await OnceMoreIfConflicted(childId, () => child.ExecuteBatch(batch), call.Cancellation);
        return [.. results.Select((result, i) => new ChangeResult(result.Outcome, Failure(call, changes[i], result.Access, result.Outcome)))];
    }

    /// <summary>What the caller is told instead of an outcome: a denial, an unknown child, or the twin's refusal; null when accepted or duplicate.</summary>
    private static Exception? Failure(ExternalCall call, PreparedChange change, AccessDecision access, CommandOutcome? outcome) =>
        access.AnswerAsUnknown is { } unknown ? new RefusalException(unknown)
        : !access.Allowed ? new AccessDeniedException(call.Caller, $"{change.Request.RpcName} on child '{change.ChildId}'")
        : outcome?.Refusal is { } refusal ? new RefusalException(refusal)
        : null;

    private async Task<T> OnceMoreIfConflicted<T>(string childId, Func<Task<T>> send, CancellationToken cancellation)
    {
        try
        {
            return await send().WaitAsync(cancellation);
        }
        catch (InconsistentStateException)
        {
            // Another writer got in first; the twin has reloaded, and changes are idempotent, so try once more.
            Log.Retrying(logger, childId);
            return await send().WaitAsync(cancellation);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Child {ChildId}: a concurrent write conflicted; trying the change once more")]
        public static partial void Retrying(ILogger logger, string childId);
    }
}
