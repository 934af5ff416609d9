using CareTwin.Storage;
using Microsoft.Extensions.Logging;

namespace CareTwin.Grains.Hosting;

/// <summary>
/// Opens the store (schema, writers) before any grain activates, and says when the silo has stopped: every
/// twin deactivated, so what they hold is written.
/// </summary>
internal sealed class StoreLifecycle(IStorageProvider store, ILogger<StoreLifecycle> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(StoreLifecycle), ServiceLifecycleStage.RuntimeInitialize, store.InitializeAsync, _ =>
        {
            logger.LogInformation("Silo stopped: every twin has deactivated");
            return Task.CompletedTask;
        });
}
