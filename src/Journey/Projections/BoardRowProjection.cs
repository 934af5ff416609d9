using System.Collections.Immutable;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Transitions;
using CareTwin.Journey.Children;
using CareTwin.Journey.Delays;
using CareTwin.Journey.Family;

namespace CareTwin.Journey.Projections;

public static class BoardRowProjection
{
    /// <summary>The child's board row at <paramref name="now"/>, or null if the child is not registered.</summary>
    /// <param name="leadTimes">What blockers have really taken, for the forecast (none learned: the defaults).</param>
    public static BoardRow? Build(ChildJourney state, DateTimeOffset now, LeadTimes? leadTimes = null)
    {
        if (state.Child is not { } child)
            return null;
        var current = state.CurrentTransition();
        var discharge = state.CurrentHospitalDischarge();
        var prediction = current is null ? null : CriticalPath.Predict(state, current, now);
        var forecast = current is null ? null : ReadyForecaster.Forecast(state, current, now, leadTimes ?? LeadTimes.None);
        var active = state.ActiveBlockers().ToList();
        var (delay, delayWeeks) = DelayAttribution.TotalAndWeeksFrom(state, now, BoardDelayWeeks.FirstWeek(UkCalendar.DateOf(now)));
        return new BoardRow(
            child.ChildId,
            child.BoardName,
            child.HospitalKey,
            child.RegionKey,
            current?.Kind,
            current?.Stage,
            discharge?.DischargeReadyDate,
            delay.DaysDelayed,
            prediction?.PredictedReadyDate,
            prediction?.CriticalPathBlockerId,
            active.GroupBy(b => b.Category).ToImmutableDictionary(g => g.Key, g => g.Count()),
            active.GroupBy(b => b.OwningService).ToImmutableDictionary(g => g.Key, g => g.Count()),
            active.Select(b => b.EscalationLevel).DefaultIfEmpty(0).Max(),
            active.Count(b => BlockerClock.IsSlaBreached(b, now)),
            active.Count(b => b.PendingEscalation() is not null),
            delay.ByService,
            delay.ByCategory,
            delay.Unattributed,
            FamilyConcerns.OpenCount(state),
            now,
            current?.Definition().FindStage(current.Stage)?.Title,
            child.NhsNumber,
            child.DateOfBirth,
            DischargedOn(discharge, current),
            FamilyConcerns.OldestUnanswered(state),
            forecast,
            FamilyCostsOf(state, now),
            delayWeeks);
    }

    private static BoardFamilyCosts? FamilyCostsOf(ChildJourney state, DateTimeOffset now) =>
        FamilyCostEstimate.For(state, now)?.Last30Days is { } window
            ? new BoardFamilyCosts(window.Hours, window.Money, state.FamilyTravel?.TravelMinutes is not null)
            : null;

    /// <summary>When the latest hospital discharge completed, if it has and no other transition is still in progress.</summary>
    private static DateOnly? DischargedOn(Transition? discharge, Transition? current) =>
        discharge is { CompletedAt: { } left } && current is not { IsComplete: false } ? UkCalendar.DateOf(left) : null;
}
