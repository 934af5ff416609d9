using CareTwin.Journey.Calendar;
using CareTwin.Journey.Children;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Services;
using CareTwin.Journey.Validation;

namespace CareTwin.Journey.Appointments;

/// <summary>
/// Booking accepts past start times (up to the planning horizon): an EPR may push an appointment late. Attended, did-not-attend
/// and cancelled are final (a correction is a new appointment), and attendance can only be
/// recorded once the appointment has started.
/// </summary>
internal static class AppointmentDecisions
{
    public static Decision Book(ChildJourney state, BookAppointment c, Provenance stamp, DecisionContext context)
    {
        if (!context.Services.TryResolve(c.Service, "service", out var service, out var badService))
            return badService;
        var refusal = StartRule(c.Start, "start", context)
            ?? DurationRule(c.Duration, "duration")
            ?? TextRules.Required(c.Place, "place", TextKind.Name)
            ?? TextRules.Required(c.Purpose, "purpose", TextKind.FamilyText);
        if (refusal is not null)
            return refusal;
        return Decision.Accept(new AppointmentBooked(
            stamp, $"appointment-{state.Appointments.Length + 1}", service.Key, c.Start, c.Duration,
            TextRules.Clean(c.Place), TextRules.Clean(c.Purpose)));
    }

    public static Decision Update(ChildJourney state, UpdateAppointment c, Provenance stamp, DecisionContext context)
    {
        if (state.FindAppointment(c.AppointmentId) is not { } appointment)
            return AppointmentLookup.Unknown(c.AppointmentId);
        if (!Enum.IsDefined(c.Status))
            return Refusal.Invalid("status", $"status {(int)c.Status} is not a known appointment status.");
        if (!appointment.IsUpcomingStatus)
            return Refusal.Precondition("status", $"This appointment is already {Describe(appointment.Status)}; book a new appointment instead.");

        var movesOrChanges = c.NewStart is not null || c.NewDuration is not null || c.NewPlace is not null;
        var refusal = c.Status switch
        {
            AppointmentStatus.Attended or AppointmentStatus.DidNotAttend when appointment.Start > context.Now =>
                Refusal.Precondition("status", $"This appointment starts {UkCalendar.Describe(appointment.Start)}; attendance can be recorded once it has started."),
            AppointmentStatus.Attended or AppointmentStatus.DidNotAttend or AppointmentStatus.Cancelled when movesOrChanges =>
                Refusal.Invalid("newStart", $"A new start, duration or place is given only when an appointment is rescheduled or its booking changed."),
            AppointmentStatus.Rescheduled when c.NewStart is null =>
                Refusal.Invalid("newStart", "Rescheduling needs the new start time."),
            AppointmentStatus.Rescheduled or AppointmentStatus.Booked when c.NewStart is { } newStart && newStart < context.Now =>
                Refusal.Invalid("newStart", $"newStart {UkCalendar.Describe(newStart)} is in the past."),
            AppointmentStatus.Booked when !movesOrChanges =>
                Refusal.Invalid("status", "The appointment is already booked; give a new start, duration or place to change it."),
            _ => null,
        };
        refusal ??= (c.NewStart is { } start ? StartRule(start, "newStart", context) : null)
            ?? (c.NewDuration is { } duration ? DurationRule(duration, "newDuration") : null)
            ?? TextRules.Optional(c.NewPlace, "newPlace", TextKind.Name);
        if (refusal is not null)
            return refusal;
        return Decision.Accept(new AppointmentUpdated(
            stamp, appointment.Id, c.Status, c.NewStart, c.NewDuration, TextRules.CleanOptional(c.NewPlace)));
    }

    private static Refusal? StartRule(DateTimeOffset start, string field, DecisionContext context) =>
        start < context.Now.AddYears(-InputLimits.PlanningHorizonYears) || start > context.Now.AddYears(InputLimits.PlanningHorizonYears)
            // In UTC: a time zone conversion of a date near year 1 or 9999 could itself fail.
            ? Refusal.Invalid(field, $"{field} {start.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture)} is more than {InputLimits.PlanningHorizonYears} years from now.")
            : null;

    private static Refusal? DurationRule(TimeSpan duration, string field) =>
        duration < InputLimits.ShortestAppointment || duration > InputLimits.LongestAppointment
            ? Refusal.Invalid(field, $"{field} must be between {InputLimits.ShortestAppointment.TotalMinutes} minutes and {InputLimits.LongestAppointment.TotalHours} hours.")
            : null;

    private static string Describe(AppointmentStatus status) => status switch
    {
        AppointmentStatus.Attended => "attended",
        AppointmentStatus.DidNotAttend => "recorded as not attended",
        AppointmentStatus.Cancelled => "cancelled",
        _ => status.ToString().ToLowerInvariant(),
    };
}
