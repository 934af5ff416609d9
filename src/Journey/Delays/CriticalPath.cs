using CareTwin.Journey.Calendar;
using CareTwin.Journey.Children;
using CareTwin.Journey.Transitions;

namespace CareTwin.Journey.Delays;

/// <param name="PredictedReadyDate">When the last open blocker is expected to be done (never before today).</param>
/// <param name="CriticalPathBlockerId">The blocker with the latest target date: the one the date hangs on (null if none is open).</param>
/// <param name="CriticalPathOverdue">The critical-path blocker's target date has already passed.</param>
public sealed record ReadyDatePrediction(DateOnly PredictedReadyDate, string? CriticalPathBlockerId, bool CriticalPathOverdue);

/// <summary>
/// Predicted ready date: the latest target date among the transition's open blockers. If that
/// date has passed, the prediction is today and marked overdue (a date in the past predicts
/// nothing). Ties go to the blocker raised first. With no open blockers, nothing stands in the
/// way: today.
/// </summary>
public static class CriticalPath
{
    public static ReadyDatePrediction? Predict(ChildJourney state, Transition transition, DateTimeOffset now)
    {
        if (transition.IsComplete)
            return null;
        var today = UkCalendar.DateOf(now);
        var critical = state.ActiveBlockers(transition.Id)
            .OrderByDescending(b => b.TargetDate)
            .ThenBy(b => b.RaisedAt)
            .FirstOrDefault();
        if (critical is null)
            return new ReadyDatePrediction(today, null, false);
        var overdue = critical.TargetDate < today;
        return new ReadyDatePrediction(overdue ? today : critical.TargetDate, critical.Id, overdue);
    }
}
