using System.Collections.Immutable;
using System.Text.Json.Serialization;
using CareTwin.Journey.Appointments;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Family;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Transitions;

namespace CareTwin.Journey.Children;

/// <summary>
/// A child's twin: the fold of its journal (see <see cref="JourneyFold"/>). Immutable; every
/// change is a new value. <see cref="AppliedKeys"/> remembers every (source system, external id)
/// applied, as digests, so a repeated push is a no-op. <see cref="Version"/> counts applied events.
/// </summary>
public sealed record ChildJourney(
    ChildProfile? Child,
    ImmutableArray<Transition> Transitions,
    ImmutableArray<Blocker> Blockers,
    ImmutableArray<Appointment> Appointments,
    ImmutableArray<FamilyMessage> FamilyMessages,
    IdempotencyKeySet AppliedKeys,
    long Version)
{
    public static ChildJourney Empty { get; } = new(null, [], [], [], [], IdempotencyKeySet.Empty, 0);

    /// <summary>What the family told us about getting to appointments; null until they do.</summary>
    public FamilyTravel? FamilyTravel { get; init; }

    [JsonIgnore]
    public bool IsRegistered => Child is not null;

    public bool HasApplied(string sourceSystem, string externalId) =>
        AppliedKeys.Contains(IdempotencyKey.Of(sourceSystem, externalId));

    public Transition? FindTransition(string? transitionId) => Transitions.FirstOrDefault(t => t.Id == transitionId);

    public Blocker? FindBlocker(string? blockerId) => Blockers.FirstOrDefault(b => b.Id == blockerId);

    public Appointment? FindAppointment(string? appointmentId) => Appointments.FirstOrDefault(a => a.Id == appointmentId);

    /// <summary>A concern the family flagged (never a note), by its message id.</summary>
    public FamilyMessage? FindConcern(string? messageId) =>
        FamilyMessages.FirstOrDefault(m => m.Id == messageId && m.Kind == FamilyMessageKind.Concern);

    /// <summary>Finds an appointment by the source system's own reference (the external id it was booked with).</summary>
    public Appointment? FindAppointmentBySource(string sourceSystem, string externalId) =>
        Appointments.FirstOrDefault(a => a.SourceSystem == sourceSystem && a.ExternalId == externalId);

    /// <summary>Finds a transition by the external id of the change that started it.</summary>
    public Transition? FindTransitionBySource(string sourceSystem, string externalId) =>
        Transitions.FirstOrDefault(t => t.SourceSystem == sourceSystem && t.ExternalId == externalId);

    /// <summary>Finds a blocker by the external id of the change that raised it.</summary>
    public Blocker? FindBlockerBySource(string sourceSystem, string externalId) =>
        Blockers.FirstOrDefault(b => b.SourceSystem == sourceSystem && b.ExternalId == externalId);

    /// <summary>The id of the transition, blocker or appointment the change (source system, external id) created, if it created one.</summary>
    public string? CreatedBy(string sourceSystem, string externalId) =>
        FindTransitionBySource(sourceSystem, externalId)?.Id
        ?? FindBlockerBySource(sourceSystem, externalId)?.Id
        ?? FindAppointmentBySource(sourceSystem, externalId)?.Id;

    /// <summary>
    /// The transition the child is going through now. While a hospital discharge is unfinished it
    /// comes first (a child in hospital is on the board for that); otherwise the latest unfinished
    /// transition, else the latest.
    /// </summary>
    public Transition? CurrentTransition() =>
        Transitions.LastOrDefault(t => t is { Kind: TransitionKind.HospitalDischarge, IsComplete: false })
        ?? Transitions.LastOrDefault(t => !t.IsComplete)
        ?? Transitions.LastOrDefault();

    /// <summary>The latest hospital discharge (the one days delayed are counted on).</summary>
    public Transition? CurrentHospitalDischarge() =>
        Transitions.LastOrDefault(t => t.Kind == TransitionKind.HospitalDischarge);

    /// <summary>Blockers still standing in the way (open or in progress), optionally of one transition.</summary>
    public IEnumerable<Blocker> ActiveBlockers(string? transitionId = null) =>
        Blockers.Where(b => b.IsActive && (transitionId is null || b.TransitionId == transitionId));

    internal ChildJourney WithTransition(string transitionId, Func<Transition, Transition> change) =>
        this with { Transitions = Replace(Transitions, t => t.Id == transitionId, change, "transition", transitionId) };

    internal ChildJourney WithBlocker(string blockerId, Func<Blocker, Blocker> change) =>
        this with { Blockers = Replace(Blockers, b => b.Id == blockerId, change, "blocker", blockerId) };

    internal ChildJourney WithAppointment(string appointmentId, Func<Appointment, Appointment> change) =>
        this with { Appointments = Replace(Appointments, a => a.Id == appointmentId, change, "appointment", appointmentId) };

    internal ChildJourney WithFamilyMessage(string messageId, Func<FamilyMessage, FamilyMessage> change) =>
        this with { FamilyMessages = Replace(FamilyMessages, m => m.Id == messageId, change, "family message", messageId) };

    private static ImmutableArray<T> Replace<T>(ImmutableArray<T> items, Func<T, bool> match, Func<T, T> change, string what, string id)
    {
        for (var i = 0; i < items.Length; i++)
        {
            if (match(items[i]))
                return items.SetItem(i, change(items[i]));
        }
        // Only a corrupt journal refers to something that was never created.
        throw new InvalidOperationException($"The journal refers to unknown {what} '{id}'.");
    }
}
