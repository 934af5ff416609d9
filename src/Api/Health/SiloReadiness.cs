namespace CareTwin.Api.Health;

/// <summary>Follows the co-hosted silo's lifecycle: active once it has started, inactive as soon as it starts to stop.</summary>
public sealed class SiloReadiness : ILifecycleParticipant<ISiloLifecycle>
{
    private volatile bool _active;

    public bool IsActive => _active;

    public void Participate(ISiloLifecycle lifecycle) => lifecycle.Subscribe(
        nameof(SiloReadiness),
        ServiceLifecycleStage.Active,
        _ =>
        {
            _active = true;
            return Task.CompletedTask;
        },
        _ =>
        {
            _active = false;
            return Task.CompletedTask;
        });
}
