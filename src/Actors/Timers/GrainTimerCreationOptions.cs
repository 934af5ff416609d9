namespace CareTwin.Actors;

/// <summary>How a grain timer ticks. Ticks run as turns of the grain, never concurrently with its requests unless <see cref="Interleave"/>.</summary>
public readonly struct GrainTimerCreationOptions
{
    public GrainTimerCreationOptions()
    {
    }

    public GrainTimerCreationOptions(TimeSpan dueTime, TimeSpan period)
    {
        DueTime = dueTime;
        Period = period;
    }

    /// <summary>Time to the first tick.</summary>
    public TimeSpan DueTime { get; init; }

    /// <summary>Time between the end of one tick and the next; <see cref="Timeout.InfiniteTimeSpan"/> ticks once.</summary>
    public TimeSpan Period { get; init; }

    /// <summary>The tick may interleave with running requests.</summary>
    public bool Interleave { get; init; }

    /// <summary>A tick counts as activity, so the timer keeps the grain from idle collection.</summary>
    public bool KeepAlive { get; init; }
}

/// <summary>A grain timer; disposed with its activation. Not durable: use a reminder for anything that must survive a restart.</summary>
public interface IGrainTimer : IDisposable
{
    void Change(TimeSpan dueTime, TimeSpan period);
}
