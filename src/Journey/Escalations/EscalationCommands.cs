using CareTwin.Journey.References;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Journal;

namespace CareTwin.Journey.Escalations;

/// <summary>A coordinator escalates a blocker one level, with a reason.</summary>
public sealed record EscalateBlocker(CommandOrigin Origin, string BlockerId, string Reason) : JourneyCommand(Origin), IAddressesBlocker
{
    public ExternalReference? BlockerRef { get; init; }

    public JourneyCommand WithBlocker(string id) => this with { BlockerId = id, BlockerRef = null };
}

/// <summary>
/// Sent by a durable reminder: escalates if (and only if) an automatic escalation is due now
/// (see <see cref="EscalationSchedule"/>). Build it with <see cref="EscalationSchedule.DueCommands"/>.
/// </summary>
public sealed record AutoEscalateBlocker(CommandOrigin Origin, string BlockerId) : JourneyCommand(Origin);

/// <summary>The owning service acknowledges the escalation waiting for it.</summary>
public sealed record AcknowledgeEscalation(CommandOrigin Origin, string BlockerId, string? Note = null) : JourneyCommand(Origin), IAddressesBlocker
{
    public ExternalReference? BlockerRef { get; init; }

    public JourneyCommand WithBlocker(string id) => this with { BlockerId = id, BlockerRef = null };
}
