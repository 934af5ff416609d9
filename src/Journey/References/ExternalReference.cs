using CareTwin.Journey.Children;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Validation;

namespace CareTwin.Journey.References;

/// <summary>
/// A transition, blocker or appointment named by the system that created it: that system's id and the external id
/// it gave the change that created it (its StartTransition, RaiseBlocker or BookAppointment). A system can address
/// what it created before it knows CareTwin's id, e.g. start a transition and raise blockers on it in one batch.
/// </summary>
public sealed record ExternalReference(string SourceSystem, string ExternalId)
{
    public override string ToString() => $"'{ExternalId}' from {SourceSystem}";
}

/// <summary>A command that names a transition, by CareTwin's id or by an <see cref="ExternalReference"/>.</summary>
public interface IAddressesTransition
{
    string TransitionId { get; }

    ExternalReference? TransitionRef { get; }

    JourneyCommand WithTransition(string transitionId);
}

/// <summary>A command that names a blocker, by CareTwin's id or by an <see cref="ExternalReference"/>.</summary>
public interface IAddressesBlocker
{
    string BlockerId { get; }

    ExternalReference? BlockerRef { get; }

    JourneyCommand WithBlocker(string blockerId);
}

/// <summary>A command that names an appointment, by CareTwin's id or by an <see cref="ExternalReference"/>.</summary>
public interface IAddressesAppointment
{
    string AppointmentId { get; }

    ExternalReference? AppointmentRef { get; }

    JourneyCommand WithAppointment(string appointmentId);
}

/// <summary>
/// Turns the external references a command carries into CareTwin's ids against the child's state, so every rule
/// after it (access, the decisions) sees ids only. An id and a reference for the same thing is refused: they could
/// disagree.
/// </summary>
public static class ExternalReferences
{
    public static Refusal UnknownTransition(ExternalReference reference) =>
        Refusal.NotFound("transitionRef", $"No transition of this child was started with external id {reference}.");

    public static Refusal UnknownBlocker(ExternalReference reference) =>
        Refusal.NotFound("blockerRef", $"No blocker of this child was raised with external id {reference}.");

    public static Refusal UnknownAppointment(ExternalReference reference) =>
        Refusal.NotFound("appointmentRef", $"No appointment of this child was booked with external id {reference}.");

    /// <summary>The command with CareTwin's ids in place of its references, or why it cannot have them.</summary>
    public static (JourneyCommand Command, Refusal? Refusal) Resolve(ChildJourney state, JourneyCommand command)
    {
        if (command is IAddressesTransition { TransitionRef: { } transition } byTransition)
        {
            if (Both(byTransition.TransitionId, "transition", "transitionRef") is { } both)
                return (command, both);
            if (Invalid(transition, "transitionRef") is { } invalid)
                return (command, invalid);
            if (state.FindTransitionBySource(transition.SourceSystem, transition.ExternalId) is not { } found)
                return (command, UnknownTransition(transition));
            command = byTransition.WithTransition(found.Id);
        }

        if (command is IAddressesBlocker { BlockerRef: { } blocker } byBlocker)
        {
            if (Both(byBlocker.BlockerId, "blocker", "blockerRef") is { } both)
                return (command, both);
            if (Invalid(blocker, "blockerRef") is { } invalid)
                return (command, invalid);
            if (state.FindBlockerBySource(blocker.SourceSystem, blocker.ExternalId) is not { } found)
                return (command, UnknownBlocker(blocker));
            command = byBlocker.WithBlocker(found.Id);
        }

        if (command is IAddressesAppointment { AppointmentRef: { } appointment } byAppointment)
        {
            if (Both(byAppointment.AppointmentId, "appointment", "appointmentRef") is { } both)
                return (command, both);
            if (Invalid(appointment, "appointmentRef") is { } invalid)
                return (command, invalid);
            if (state.FindAppointmentBySource(appointment.SourceSystem, appointment.ExternalId) is not { } found)
                return (command, UnknownAppointment(appointment));
            command = byAppointment.WithAppointment(found.Id);
        }

        return (command, null);
    }

    /// <summary>The reference the command gave for what it names, if it named it by one.</summary>
    public static ExternalReference? GivenFor(JourneyCommand command) => command switch
    {
        IAddressesBlocker { BlockerRef: { } blocker } => blocker,
        IAddressesAppointment { AppointmentRef: { } appointment } => appointment,
        IAddressesTransition { TransitionRef: { } transition } => transition,
        _ => null,
    };

    private static Refusal? Both(string id, string what, string refField) => string.IsNullOrEmpty(id)
        ? null
        : Refusal.Invalid(refField, $"{refField} is given as well as the {what}'s id; name the {what} one way.");

    private static Refusal? Invalid(ExternalReference reference, string field) =>
        ReferenceRules.Exact(reference.ExternalId, $"{field}.externalId") ?? ReferenceRules.Exact(reference.SourceSystem, $"{field}.sourceSystem");
}
