namespace CareTwin.Actors;

/// <summary>What every grain class is: an object with an activation context and lifecycle hooks.</summary>
public interface IGrainBase
{
    IGrainContext GrainContext { get; }

    Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>The runtime's side of one activation, as grain code sees it.</summary>
public interface IGrainContext
{
    GrainId GrainId { get; }

    object? GrainInstance { get; }

    IServiceProvider ActivationServices { get; }

    /// <summary>Deactivate once the current request completes.</summary>
    void Deactivate(DeactivationReason reason);

    /// <summary>Keep the activation from idle collection for at least this long.</summary>
    void DelayDeactivation(TimeSpan timeSpan);
}

public enum DeactivationReasonCode
{
    None,
    ApplicationRequested,
    ActivationIdle,
    ShuttingDown,
    ActivationFailed,
}

public readonly record struct DeactivationReason(DeactivationReasonCode ReasonCode, string Description)
{
    public override string ToString() => $"{ReasonCode}: {Description}";
}
