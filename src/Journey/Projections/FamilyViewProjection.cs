using CareTwin.Journey.Serialization;
using System.Collections.Immutable;
using CareTwin.Journey.Appointments;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Children;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Delays;
using CareTwin.Journey.Family;
using CareTwin.Journey.Services;
using CareTwin.Journey.Transitions;

namespace CareTwin.Journey.Projections;

public static class FamilyViewProjection
{
    public const int RecentlyDoneDays = 30;
    public const int MaxUpcomingAppointments = 10;

    /// <summary>
    /// The family view after a change, or null when what the family can see did not change: even an empty update
    /// when a sensitive blocker is raised would tell them something.
    /// </summary>
    public static FamilyView? Changed(ChildJourney before, ChildJourney after, IServiceDirectory services, DateTimeOffset now, LeadTimes? leadTimes = null)
    {
        var view = Build(after, services, now, leadTimes);
        if (view is null || !before.IsRegistered)
            return view;
        return JourneyJson.Serialize(Build(before, services, now, leadTimes)) == JourneyJson.Serialize(view) ? null : view;
    }

    /// <summary>The family view at <paramref name="now"/>, or null if the child is not registered.</summary>
    /// <param name="leadTimes">What blockers have really taken, for when the child is likely to be ready (none learned: the defaults).</param>
    public static FamilyView? Build(ChildJourney state, IServiceDirectory services, DateTimeOffset now, LeadTimes? leadTimes = null)
    {
        if (state.Child is not { } child)
            return null;
        var visible = state.Blockers.Where(b => !b.Sensitive).ToList();
        var today = UkCalendar.DateOf(now);
        var discharge = state.CurrentHospitalDischarge();
        var recentSince = now.AddDays(-RecentlyDoneDays);
        var messages = FamilyMessagePages.Newest(state.FamilyMessages, FamilyMessagePages.Latest);
        return new FamilyView(
            child.ChildId,
            child.GivenName,
            [.. state.Transitions.Select(Step)],
            discharge is { IsComplete: false, DischargeReadyDate: not null } ? DelayClock.DaysDelayed(discharge, now) : null,
            [.. visible.Where(b => b.IsActive).OrderBy(b => b.TargetDate).Select(b => WorkItem(b, services, today))],
            [.. visible.Where(b => b.Status == BlockerStatus.Resolved && b.ClosedAt >= recentSince)
                .OrderByDescending(b => b.ClosedAt).Select(b => WorkItem(b, services, today))],
            [.. state.Appointments.Where(a => a.IsUpcomingStatus && a.Start >= now).OrderBy(a => a.Start)
                .Take(MaxUpcomingAppointments).Select(a => Appointment(a, services))],
            FamilyBurden.Over(state, now, 30),
            FamilyBurden.Over(state, now, 90),
            [.. messages.Messages.Select(Message)],
            messages.Older,
            state.Blockers.Any(b => b.Sensitive && b.IsActive) ? FamilyWording.WorkNotListed(child.GivenName) : null,
            now,
            state.FamilyTravel,
            FamilyCostEstimate.For(state, now),
            LikelyReady(state, child.GivenName, services, now, leadTimes ?? LeadTimes.None));
    }

    // The forecast counts every blocker (the date is honest), but names the longest only if the family may see it.
    private static string? LikelyReady(ChildJourney state, string childName, IServiceDirectory services, DateTimeOffset now, LeadTimes leadTimes)
    {
        if (state.CurrentTransition() is not { IsComplete: false } current || !state.ActiveBlockers(current.Id).Any())
            return null;
        var forecast = ReadyForecaster.Forecast(state, current, now, leadTimes)!;
        var longest = state.FindBlocker(forecast.DrivingBlockerId) is { Sensitive: false } driver
            ? (driver.FamilyText ?? BlockerCategories.FamilyExplanation(driver.Category), ServiceName(driver.OwningService, services))
            : ((string, string)?)null;
        return FamilyWording.LikelyReady(childName, forecast.LikelyFrom, forecast.LikelyBy, longest);
    }

    /// <summary>
    /// What the family told the team, older than the message <paramref name="before"/> (from the newest when null),
    /// up to <paramref name="count"/>; or why not, naming <c>before</c> or <c>count</c>.
    /// </summary>
    public static (FamilyMessagesPage? Page, Refusal? Refusal) Messages(ChildJourney state, string? before, int count)
    {
        ArgumentNullException.ThrowIfNull(state);
        var (page, refusal) = FamilyMessagePages.Before(state.FamilyMessages, before, count);
        return page is null ? (null, refusal) : (new FamilyMessagesPage([.. page.Messages.Select(Message)], page.Older), null);
    }

    private static FamilyMessageView Message(FamilyMessage message) => new(
        message.Id, message.Kind, message.Text, message.At, message.Status, FamilyWording.ConcernProgress(message),
        message.Read?.At, message.Answer?.Text, message.Answer?.By.DisplayName, message.Answer?.At, message.Closed?.At);

    private static FamilyJourneyStep Step(Transition transition)
    {
        var definition = transition.Definition();
        var index = definition.IndexOf(transition.Stage);
        var stage = definition.Stages[index];
        return new FamilyJourneyStep(transition.Id, definition.FamilyTitle, stage.FamilyTitle, stage.FamilyExplanation,
            index + 1, definition.Stages.Length, transition.IsComplete,
            transition.IsComplete ? null : definition.Stages[index + 1].FamilyTitle,
            [.. definition.Milestones.Select(m => new FamilyChecklistItem(m.FamilyTitle, transition.HasCompleted(m.Key)))]);
    }

    // Only family-safe fields are read here: never ProfessionalText, ClosingNote or Escalations.
    private static FamilyWorkItem WorkItem(Blocker blocker, IServiceDirectory services, DateOnly today) => new(
        blocker.Id,
        ServiceName(blocker.OwningService, services),
        blocker.NamedOwner,
        blocker.FamilyText ?? BlockerCategories.FamilyExplanation(blocker.Category),
        blocker.Status switch
        {
            BlockerStatus.Open => "Not started yet",
            BlockerStatus.InProgress => "Being worked on",
            _ => "Done",
        },
        blocker.IsActive && blocker.TargetDate >= today ? blocker.TargetDate : null,
        blocker.IsActive && blocker.TargetDate < today);

    private static FamilyAppointment Appointment(Appointment appointment, IServiceDirectory services) => new(
        appointment.Id, appointment.Purpose, appointment.Start, (int)appointment.Duration.TotalMinutes, appointment.Place,
        ServiceName(appointment.Service, services), appointment.Status == AppointmentStatus.Rescheduled);

    private static string ServiceName(ServiceKey key, IServiceDirectory services) => services.NameOf(key);
}
