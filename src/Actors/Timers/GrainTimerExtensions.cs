using CareTwin.Actors.Runtime;

namespace CareTwin.Actors;

/// <summary>Orleans's RegisterGrainTimer overloads, as extensions on any grain.</summary>
public static class GrainTimerExtensions
{
    public static IGrainTimer RegisterGrainTimer<TState>(this IGrainBase grain, Func<TState, CancellationToken, Task> callback, TState state, GrainTimerCreationOptions options)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return new GrainTimer(ActivationOf(grain), (s, ct) => callback((TState)s!, ct), state, options);
    }

    public static IGrainTimer RegisterGrainTimer<TState>(this IGrainBase grain, Func<TState, Task> callback, TState state, GrainTimerCreationOptions options)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return new GrainTimer(ActivationOf(grain), (s, _) => callback((TState)s!), state, options);
    }

    public static IGrainTimer RegisterGrainTimer(this IGrainBase grain, Func<CancellationToken, Task> callback, GrainTimerCreationOptions options)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return new GrainTimer(ActivationOf(grain), (_, ct) => callback(ct), null, options);
    }

    public static IGrainTimer RegisterGrainTimer(this IGrainBase grain, Func<Task> callback, GrainTimerCreationOptions options)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return new GrainTimer(ActivationOf(grain), (_, _) => callback(), null, options);
    }

    public static IGrainTimer RegisterGrainTimer(this IGrainBase grain, Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period) =>
        grain.RegisterGrainTimer(callback, new GrainTimerCreationOptions(dueTime, period));

    public static IGrainTimer RegisterGrainTimer(this IGrainBase grain, Func<Task> callback, TimeSpan dueTime, TimeSpan period) =>
        grain.RegisterGrainTimer(callback, new GrainTimerCreationOptions(dueTime, period));

    internal static ActivationData ActivationOf(IGrainBase grain) =>
        grain.GrainContext as ActivationData
        ?? throw new InvalidOperationException($"{grain.GetType().Name} is not running in the actor runtime.");
}
