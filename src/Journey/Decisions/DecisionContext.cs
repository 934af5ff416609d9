using CareTwin.Journey.Calendar;
using CareTwin.Journey.Services;
using CareTwin.Journey.Validation;

namespace CareTwin.Journey.Decisions;

/// <summary>What a decision may consult besides the state: the clock, the service directory and the trust's limits.</summary>
public sealed record DecisionContext(DateTimeOffset Now, IServiceDirectory Services)
{
    public static DecisionContext From(TimeProvider clock, IServiceDirectory services, JourneyLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return new DecisionContext(clock.GetUtcNow(), services) { Limits = limits ?? JourneyLimits.Default };
    }

    /// <summary>The per-child daily caps (<see cref="JourneyLimits.Default"/> unless the host's settings say otherwise).</summary>
    public JourneyLimits Limits { get; init; } = JourneyLimits.Default;

    /// <summary>Today as a UK calendar date.</summary>
    public DateOnly Today => UkCalendar.DateOf(Now);
}
