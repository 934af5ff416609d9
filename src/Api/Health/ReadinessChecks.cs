using CareTwin.Api.Calls;
using CareTwin.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CareTwin.Api.Health;

/// <summary>
/// What "ready" means for this node, as ASP.NET Core health checks: grpc.health.v1 (through
/// Grpc.AspNetCore.HealthChecks) and /healthz both report them, so a load balancer and an EPR agree.
/// </summary>
public static class ReadinessChecks
{
    public const string Storage = "storage";
    public const string Silo = "silo";
    public const string Stopping = "stopping";
}

/// <summary>Unhealthy while the database cannot answer a trivial read within a few seconds.</summary>
public sealed class StorageReachableCheck(IStorageProvider store) : IHealthCheck
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Patience);
        try
        {
            await store.TryGetResultAsync("caretwin-readiness", "probe", timeout.Token);
            return HealthCheckResult.Healthy("The database answers.");
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The exception stays in the server's health report; callers see NOT_SERVING only.
            return HealthCheckResult.Unhealthy("The database does not answer.", exception);
        }
    }
}

/// <summary>Healthy only between the silo becoming active and it starting to stop: grains can be called.</summary>
public sealed class SiloActiveCheck(SiloReadiness silo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(silo.IsActive ? HealthCheckResult.Healthy("The silo is active.") : HealthCheckResult.Unhealthy("The silo is not active."));
}

/// <summary>Unhealthy from the moment the host starts stopping, so no later health report turns it back to SERVING.</summary>
public sealed class NotStoppingCheck(ApiShutdown shutdown) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(shutdown.IsStopping ? HealthCheckResult.Unhealthy("The host is stopping.") : HealthCheckResult.Healthy());
}
