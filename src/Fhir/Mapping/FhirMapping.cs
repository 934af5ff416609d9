using System.Globalization;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Children;
using CareTwin.Journey.Delays;
using CareTwin.Journey.Services;
using CareTwin.Journey.Transitions;
using CareTwin.Journey.Wording;
using R4 = Hl7.Fhir.Model;
using JourneyAppointment = CareTwin.Journey.Appointments.Appointment;
using JourneyAppointmentStatus = CareTwin.Journey.Appointments.AppointmentStatus;

namespace CareTwin.Fhir.Mapping;

/// <summary>
/// A child's journey as FHIR R4 resources: the one place the journey model becomes what FHIR clients read. Pure: the
/// journey given is already the one this caller may see (the access gate left out the blockers hidden from them).
/// <list type="bullet">
/// <item>Patient: the child, identified by NHS number.</item>
/// <item>EpisodeOfCare and CarePlan: a transition (e.g. a hospital discharge); the plan's activities are its stages, its
/// milestones and, by reference, its blockers.</item>
/// <item>Task: a blocker, owned by its agency's Organization, due on its target date, its escalation as business status.</item>
/// <item>Appointment: an appointment with a service.</item>
/// <item>Organization: an agency (service) from the service directory.</item>
/// </list>
/// </summary>
public static class FhirMapping
{
    public static R4.Patient Patient(ChildProfile child) => new()
    {
        Id = FhirIds.Patient(child.ChildId),
        Identifier = [new R4.Identifier(FhirSystems.NhsNumber, child.NhsNumber.Digits)],
        Active = true,
        Name = [new R4.HumanName { Use = R4.HumanName.NameUse.Official, Family = child.FamilyName, Given = [child.GivenName] }],
        BirthDate = Date(child.DateOfBirth),
    };

    public static R4.EpisodeOfCare EpisodeOfCare(ChildProfile child, Transition transition) => new()
    {
        Id = FhirIds.Part(child.ChildId, transition.Id),
        Status = transition.IsComplete ? R4.EpisodeOfCare.EpisodeOfCareStatus.Finished : R4.EpisodeOfCare.EpisodeOfCareStatus.Active,
        Type = [Concept(FhirSystems.TransitionKind, Key(transition.Kind), transition.Definition().Title)],
        Patient = PatientReference(child),
        Period = Period(transition.StartedAt, transition.CompletedAt),
    };

    /// <summary>The transition's plan: where it stands (its stages), what it needs (its milestones) and what is in the way (its blockers, as Tasks).</summary>
    /// <param name="forecast">When the transition is likely to be done, from learned lead times; said in a note while it is in progress.</param>
    public static R4.CarePlan CarePlan(ChildJourney journey, Transition transition, ReadyForecast? forecast = null)
    {
        var child = journey.Child!;
        var definition = transition.Definition();
        var current = definition.IndexOf(transition.Stage);
        var stage = definition.FindStage(transition.Stage);
        var plan = new R4.CarePlan
        {
            Id = FhirIds.Part(child.ChildId, transition.Id),
            Status = transition.IsComplete ? R4.RequestStatus.Completed : R4.RequestStatus.Active,
            Intent = R4.CarePlan.CarePlanIntent.Plan,
            Category = [Concept(FhirSystems.TransitionKind, Key(transition.Kind), definition.Title)],
            Title = definition.Title,
            Description = stage is null ? null : $"{definition.Title}: now at {stage.Title} (since {UkDate(transition.StageEnteredAt)}).",
            Subject = PatientReference(child),
            Period = Period(transition.StartedAt, transition.CompletedAt),
            SupportingInfo = [new R4.ResourceReference($"EpisodeOfCare/{FhirIds.Part(child.ChildId, transition.Id)}")],
        };
        for (var i = 0; i < definition.Stages.Length; i++)
        {
            var status = i < current || (i == current && transition.IsComplete) ? R4.CarePlan.CarePlanActivityStatus.Completed
                : i == current ? R4.CarePlan.CarePlanActivityStatus.InProgress
                : R4.CarePlan.CarePlanActivityStatus.NotStarted;
            plan.Activity.Add(Activity(FhirSystems.Stage, definition.Stages[i].Key, definition.Stages[i].Title, $"Stage: {definition.Stages[i].Title}", status, null));
        }
        foreach (var milestone in definition.Milestones)
        {
            var done = transition.Milestones.FirstOrDefault(m => m.Key == milestone.Key);
            plan.Activity.Add(Activity(FhirSystems.Milestone, milestone.Key, milestone.Title, $"Milestone: {milestone.Title}",
                done is null ? R4.CarePlan.CarePlanActivityStatus.NotStarted : R4.CarePlan.CarePlanActivityStatus.Completed, done?.At));
        }
        foreach (var blocker in journey.Blockers.Where(b => b.TransitionId == transition.Id))
            plan.Activity.Add(new R4.CarePlan.ActivityComponent { Reference = new R4.ResourceReference($"Task/{FhirIds.Part(child.ChildId, blocker.Id)}") });
        if (forecast is not null && !transition.IsComplete)
        {
            // No standard element holds a forecast range: a note, in words, naming the Task that drives it.
            var driver = journey.FindBlocker(forecast.DrivingBlockerId);
            plan.Note.Add(new R4.Annotation
            {
                Text = new R4.Markdown($"Likely ready {DayRange.Describe(forecast.LikelyFrom, forecast.LikelyBy)}, from how long blockers like these have really taken"
                    + (driver is not null ? $", driven by the {BlockerCategories.Title(driver.Category).ToLowerInvariant()} blocker (Task/{FhirIds.Part(child.ChildId, driver.Id)})."
                        // A driver the caller may not see (another service's sensitive blocker) goes unnamed, not denied.
                        : forecast.DrivingBlockerId is null ? "; nothing open stands in the way." : "."))
            });
        }
        return plan;
    }

    /// <summary>A blocker as a Task its agency owns: due on its target date; its escalation is the business status.</summary>
    public static R4.Task Task(ChildProfile child, Blocker blocker, IServiceDirectory services)
    {
        var task = new R4.Task
        {
            Id = FhirIds.Part(child.ChildId, blocker.Id),
            Status = blocker.Status switch
            {
                BlockerStatus.Open => R4.Task.TaskStatus.Requested,
                BlockerStatus.InProgress => R4.Task.TaskStatus.InProgress,
                BlockerStatus.Resolved => R4.Task.TaskStatus.Completed,
                _ => R4.Task.TaskStatus.Cancelled,
            },
            Intent = R4.Task.TaskIntent.Plan,
            BusinessStatus = Escalation(blocker),
            Code = Concept(FhirSystems.BlockerCategory, BlockerCategories.Key(blocker.Category), BlockerCategories.Title(blocker.Category)),
            Description = blocker.ProfessionalText,
            BasedOn = [new R4.ResourceReference($"CarePlan/{FhirIds.Part(child.ChildId, blocker.TransitionId)}")],
            For = PatientReference(child),
            Owner = OrganizationReference(blocker.OwningService, services),
            AuthoredOn = DateTime(blocker.RaisedAt),
            ExecutionPeriod = Period(blocker.RaisedAt, blocker.ClosedAt),
            // The date the owner expects to have it done: when fulfilment is sought.
            Restriction = new R4.Task.RestrictionComponent { Period = new R4.Period { End = Date(blocker.TargetDate) } },
        };
        if (blocker.Sensitive)
            task.Meta = new R4.Meta { Security = [new R4.Coding(FhirSystems.Confidentiality, "R", "restricted")] };
        if (blocker.NamedOwner is { } named)
            task.Note.Add(new R4.Annotation { Text = new R4.Markdown($"Named owner: {named}.") });
        task.Note.Add(new R4.Annotation { Text = new R4.Markdown($"Due under the owning service's SLA by {UkCalendar(blocker.SlaDueDate)}.") });
        if (blocker.ClosingNote is { } closing)
            task.Note.Add(new R4.Annotation { Text = new R4.Markdown(closing) });
        return task;
    }

    public static R4.Appointment Appointment(ChildProfile child, JourneyAppointment appointment, IServiceDirectory services) => new()
    {
        Id = FhirIds.Part(child.ChildId, appointment.Id),
        Status = appointment.Status switch
        {
            JourneyAppointmentStatus.Attended => R4.Appointment.AppointmentStatus.Fulfilled,
            JourneyAppointmentStatus.DidNotAttend => R4.Appointment.AppointmentStatus.Noshow,
            JourneyAppointmentStatus.Cancelled => R4.Appointment.AppointmentStatus.Cancelled,
            _ => R4.Appointment.AppointmentStatus.Booked,
        },
        Description = appointment.Purpose,
        Start = appointment.Start,
        End = appointment.Start + appointment.Duration,
        MinutesDuration = (int)Math.Round(appointment.Duration.TotalMinutes),
        Created = DateTime(appointment.BookedAt),
        Comment = $"At {appointment.Place}.",
        SupportingInformation = [OrganizationReference(appointment.Service, services)],
        Participant =
        [
            new R4.Appointment.ParticipantComponent { Actor = PatientReference(child), Status = R4.ParticipationStatus.Accepted },
        ],
    };

    /// <summary>An agency as the directory has it; one missing from the directory is named as such, never by its key alone.</summary>
    public static R4.Organization Organization(ServiceKey key, ServiceProfile? profile)
    {
        var organization = new R4.Organization
        {
            Id = key.Value,
            Identifier = [new R4.Identifier(FhirSystems.ServiceKey, key.Value)],
            Active = profile is not null,
            Name = profile?.Name ?? ServiceNames.Unlisted,
        };
        if (profile is not null)
            organization.Type = [Concept(FhirSystems.AgencyKind, Key(profile.Kind), AgencyTitle(profile.Kind))];
        if (profile?.Phone is { } phone)
            organization.Telecom = [new R4.ContactPoint(R4.ContactPoint.ContactPointSystem.Phone, R4.ContactPoint.ContactPointUse.Work, phone)];
        return organization;
    }

    /// <summary>
    /// Everything about the child this caller may see: the Patient first, then each transition (EpisodeOfCare and
    /// CarePlan), blocker (Task), appointment, and the Organizations they name.
    /// </summary>
    public static IReadOnlyList<R4.Resource> Everything(ChildJourney journey, IServiceDirectory services, Endpoints.FhirForecasts? forecasts = null)
    {
        var child = journey.Child!;
        var resources = new List<R4.Resource> { Patient(child) };
        foreach (var transition in journey.Transitions)
        {
            resources.Add(EpisodeOfCare(child, transition));
            resources.Add(CarePlan(journey, transition, forecasts?.For(journey, transition)));
        }
        resources.AddRange(journey.Blockers.Select(b => Task(child, b, services)));
        resources.AddRange(journey.Appointments.Select(a => Appointment(child, a, services)));
        resources.AddRange(Agencies(journey).Select(key => Organization(key, services.Find(key))));
        return resources;
    }

    /// <summary>The agencies a journey names: blockers' owners and appointments' services, in order of first mention.</summary>
    public static IEnumerable<ServiceKey> Agencies(ChildJourney journey) =>
        journey.Blockers.Select(b => b.OwningService).Concat(journey.Appointments.Select(a => a.Service)).Distinct();

    private static R4.CodeableConcept Escalation(Blocker blocker)
    {
        if (blocker.EscalationLevel == 0)
            return Concept(FhirSystems.Escalation, "not-escalated", "Not escalated");
        var last = blocker.Escalations[^1];
        var waiting = blocker.PendingEscalation() is not null;
        var text = $"Escalated to level {last.Level} ({last.Contact.Role})" + (last.AcknowledgedAt is not null ? ", acknowledged" : waiting ? ", awaiting acknowledgement" : "");
        return Concept(FhirSystems.Escalation, $"level-{last.Level.ToString(CultureInfo.InvariantCulture)}", $"Escalation level {last.Level}", text);
    }

    private static R4.CarePlan.ActivityComponent Activity(string system, string code, string title, string description, R4.CarePlan.CarePlanActivityStatus status, DateTimeOffset? completedAt)
    {
        var activity = new R4.CarePlan.ActivityComponent
        {
            Detail = new R4.CarePlan.DetailComponent { Code = Concept(system, code, title), Status = status, Description = description },
        };
        if (completedAt is { } at)
            activity.Progress.Add(new R4.Annotation { Time = DateTime(at), Text = new R4.Markdown($"Completed {UkDate(at)}.") });
        return activity;
    }

    private static R4.ResourceReference PatientReference(ChildProfile child) =>
        new($"Patient/{FhirIds.Patient(child.ChildId)}", $"{child.GivenName} {child.FamilyName}");

    private static R4.ResourceReference OrganizationReference(ServiceKey service, IServiceDirectory services) =>
        new($"Organization/{service.Value}", services.NameOf(service));

    private static R4.CodeableConcept Concept(string system, string code, string display, string? text = null) =>
        new(system, code, display, text ?? display);

    private static R4.Period Period(DateTimeOffset start, DateTimeOffset? end) => new()
    {
        Start = DateTime(start),
        End = end is { } e ? DateTime(e) : null,
    };

    private static string DateTime(DateTimeOffset instant) => new R4.FhirDateTime(instant.ToUniversalTime()).Value!;

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string UkDate(DateTimeOffset instant) => Journey.Calendar.UkCalendar.Describe(Journey.Calendar.UkCalendar.DateOf(instant));

    private static string UkCalendar(DateOnly date) => Journey.Calendar.UkCalendar.Describe(date);

    private static string Key<TEnum>(TEnum value) where TEnum : struct, Enum =>
        System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    private static string AgencyTitle(AgencyKind kind) => kind switch
    {
        AgencyKind.Health => "Health",
        AgencyKind.SocialCare => "Social care",
        AgencyKind.Housing => "Housing",
        AgencyKind.Education => "Education",
        _ => "Voluntary sector",
    };
}
