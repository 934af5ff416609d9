namespace CareTwin.Web.Live;

// What the pages send with an action. Everything arrives as text so a bad value is refused naming its field
// (e.g. "targetDate: targetDate must be a date like 2026-12-31.") instead of failing to bind.
// RequestId is the browser's id for one submission: sending it again (after a reconnect) changes nothing.

public sealed record RaiseBlockerInput(
    string? RequestId, string? TransitionId, string? Category, string? OwningService, string? NamedOwner,
    string? ProfessionalText, string? FamilyText, string? TargetDate, bool Sensitive);

public sealed record BlockerProgressInput(string? RequestId, string? BlockerId, string? Status);

public sealed record ResolveBlockerInput(string? RequestId, string? BlockerId, string? Note, string? FamilyText);

public sealed record ReassignBlockerInput(string? RequestId, string? BlockerId, string? OwningService, string? NamedOwner, string? Reason);

public sealed record EscalateBlockerInput(string? RequestId, string? BlockerId, string? Reason);

public sealed record AcknowledgeEscalationInput(string? RequestId, string? BlockerId, string? Note);

public sealed record ChangeStageInput(string? RequestId, string? TransitionId, string? Stage, string? Reason, string? Destination);

public sealed record FamilyMessageInput(string? RequestId, string? Text, string? BlockerId);

/// <summary>What became of an action: the child's version after it, and what it created (e.g. the new blocker's id).</summary>
/// <param name="AlreadyDone">The same request had been applied before; nothing changed.</param>
public sealed record ActionDone(long Version, string? CreatedId, bool AlreadyDone);
