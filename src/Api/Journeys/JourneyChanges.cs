using CareTwin.Storage;
using CareTwin.Api.Calls;
using CareTwin.Api.Contracts.V1;
using CareTwin.Api.Mapping;
using CareTwin.Api.Errors;
using CareTwin.Grains.Access;
using CareTwin.Grains.Children;
using Microsoft.Extensions.Logging;

namespace CareTwin.Api.Journeys;

/// <summary>
/// Carries one pushed change to its child's twin: the proto becomes a journey command, the access gate decides
/// (and audits), the twin decides by the journey rules. Shared by the Journeys calls and every Ingest item, so a
/// change means the same whichever way it arrives.
/// </summary>
public sealed partial class JourneyChanges(AccessGate gate, IGrainFactory grains, ILogger<JourneyChanges> logger)
{
    /// <summary>Accepted or duplicate; anything else throws (a <see cref="RefusalException"/>, an access denial, ...).</summary>
    public async Task<CommandOutcome> ApplyAsync(ExternalCall call, IChangeRequest request)
    {
        var childId = ProtoInput.ChildId(request.ChildId);
        var command = request.ToCommand(call.OriginFor(request.ExternalId));
        var access = await gate.ForChildAsync(call.Caller, AccessAction.ChangeChild, childId, call.Channel, command).WaitAsync(call.Cancellation);
        if (access.Decision.AnswerAsUnknown is { } unknown)
            throw new RefusalException(unknown);
        if (!access.Allowed)
            throw new AccessDeniedException(call.Caller, $"{request.RpcName} on child '{childId}'");

        var child = grains.GetGrain<IChildGrain>(childId);
        CommandOutcome outcome;
        try
        {
            outcome = await child.Execute(command).WaitAsync(call.Cancellation);
        }
        catch (InconsistentStateException)
        {
            // Another writer got in first; the twin has reloaded, and the change is idempotent, so try once more.
            Log.Retrying(logger, childId);
            outcome = await child.Execute(command).WaitAsync(call.Cancellation);
        }
        return outcome.Refusal is { } refusal ? throw new RefusalException(refusal) : outcome;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Child {ChildId}: a concurrent write conflicted; trying the change once more")]
        public static partial void Retrying(ILogger logger, string childId);
    }
}
