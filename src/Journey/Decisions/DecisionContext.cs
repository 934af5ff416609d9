using CareTwin.Journey.Calendar;
using CareTwin.Journey.Services;

namespace CareTwin.Journey.Decisions;

/// <summary>What a decision may consult besides the state: the clock and the service directory.</summary>
public sealed record DecisionContext(DateTimeOffset Now, IServiceDirectory Services)
{
    public static DecisionContext From(TimeProvider clock, IServiceDirectory services)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return new DecisionContext(clock.GetUtcNow(), services);
    }

    /// <summary>Today as a UK calendar date.</summary>
    public DateOnly Today => UkCalendar.DateOf(Now);
}
