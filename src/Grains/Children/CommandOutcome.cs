using System.Collections.Immutable;
using CareTwin.Journey.Appointments;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Transitions;

namespace CareTwin.Grains.Children;

public enum OutcomeKind
{
    Accepted,
    /// <summary>The (source system, external id) was applied before: nothing changed.</summary>
    Duplicate,
    Refused,
}

/// <summary>What became of a change sent to a twin. Nothing changes unless it was accepted.</summary>
/// <param name="Version">The twin's version after the change (unchanged unless accepted).</param>
/// <param name="Refusal">Why it was refused, naming the field; null unless refused.</param>
/// <param name="Events">What was recorded (e.g. the new blocker's id); empty unless accepted.</param>
/// <param name="CreatedId">The transition, blocker or appointment the change created: now, or when it was first accepted.</param>
public sealed record CommandOutcome(OutcomeKind Kind, long Version, Refusal? Refusal, ImmutableArray<JourneyEvent> Events, string? CreatedId = null)
{
    public static CommandOutcome Accepted(long version, ImmutableArray<JourneyEvent> events) =>
        new(OutcomeKind.Accepted, version, null, events, events.IsDefaultOrEmpty ? null : events[0] switch
        {
            TransitionStarted e => e.TransitionId,
            BlockerRaised e => e.BlockerId,
            AppointmentBooked e => e.AppointmentId,
            _ => null,
        });

    public static CommandOutcome Duplicate(long version, string? createdId = null) => new(OutcomeKind.Duplicate, version, null, [], createdId);

    public static CommandOutcome Refused(long version, Refusal refusal) => new(OutcomeKind.Refused, version, refusal, []);
}

/// <summary>What became of a history import: how many commands were recorded, already there, or where it stopped.</summary>
/// <param name="RefusedAt">Index of the command that was refused (the import stops there), if any.</param>
public sealed record HistoryImportOutcome(string ChildId, long Version, int Accepted, int Duplicates, int? RefusedAt, Refusal? Refusal);
