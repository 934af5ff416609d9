using CareTwin.Journey.Children;
using CareTwin.Journey.Decisions;
using CareTwin.Grains.Access;

namespace CareTwin.Api.Errors;

/// <summary>
/// The access policy said no (the gate has already audited it). The message names the key's system and what it
/// asked, never the policy's reason: that stays in the audit trail, because it can tell whether a child exists.
/// </summary>
public sealed class AccessDeniedException(Caller caller, string what)
    : Exception($"This API key ({caller.Id}) may not {what}.");

public static class ChildAccessOutcome
{
    /// <summary>
    /// The child as this key may see it; denied → PERMISSION_DENIED, allowed but unknown (only coordinators and
    /// journey-managing keys get that far) → NOT_FOUND naming child_id.
    /// </summary>
    public static ChildJourney VisibleJourney(this ChildAccess access, Caller caller, string childId, string what) =>
        !access.Allowed ? throw new AccessDeniedException(caller, what)
        : access.Journey is { IsRegistered: true } journey ? journey
        : throw new RefusalException(Refusal.NotFound("child_id", $"No child has the id '{childId}'."));
}
