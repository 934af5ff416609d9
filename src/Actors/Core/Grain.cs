using CareTwin.Actors.Runtime;

namespace CareTwin.Actors;

/// <summary>
/// Base class for grains. The runtime constructs it inside an activation, so the context is taken from the
/// ambient activation exactly as Orleans does; constructing a grain with <c>new</c> elsewhere fails.
/// </summary>
public abstract class Grain : IGrainBase, IAddressable
{
    private readonly ActivationData _activation;

    protected Grain()
    {
        _activation = ActivationData.Constructing
            ?? throw new InvalidOperationException(
                $"{GetType().Name} can only be created by the actor runtime; get it with IGrainFactory.GetGrain.");
    }

    public IGrainContext GrainContext => _activation;

    protected IGrainFactory GrainFactory => _activation.Runtime;

    protected IServiceProvider ServiceProvider => _activation.ActivationServices;

    /// <summary>"type/key", for logs.</summary>
    public string IdentityString => _activation.GrainId.ToString();

    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Deactivate after the current request; the next call makes a fresh activation.</summary>
    protected void DeactivateOnIdle() =>
        _activation.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationRequested, "DeactivateOnIdle was called."));

    protected void DelayDeactivation(TimeSpan timeSpan) => _activation.DelayDeactivation(timeSpan);

    internal ActivationData Activation => _activation;
}
