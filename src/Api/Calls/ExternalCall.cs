using CareTwin.Grains.Access;
using CareTwin.Journey.Journal;

namespace CareTwin.Api.Calls;

/// <summary>
/// A call an API key has been admitted for: who (for the access policy), from where (for the audit trail), until when,
/// and the trace id an operator finds it by in the log.
/// </summary>
public sealed record ExternalCall(Caller Caller, AccessChannel Channel, string Peer, string TraceId, CancellationToken Cancellation)
{
    /// <summary>The journal's origin for a change this call pushes: the key's system is the source system.</summary>
    public CommandOrigin OriginFor(string externalId) => new(Caller.ToActor(), Caller.Id, externalId);
}
