using Grpc.AspNetCore.HealthChecks;
using Grpc.HealthCheck;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace CareTwin.Api.Calls;

/// <summary>
/// Orders what callers see when the host stops: first every health service turns NOT_SERVING (health watchers and
/// load balancers hear it while their streams are still open), then every open stream (watches, health watches)
/// ends with UNAVAILABLE. One ordered callback, because the order of several ApplicationStopping registrations is
/// not guaranteed. Unary calls in flight finish normally.
/// </summary>
public sealed class ApiShutdown : IDisposable
{
    private readonly CancellationTokenSource _streams = new();
    private readonly HealthServiceImpl _health;
    private readonly GrpcHealthChecksOptions _healthServices;
    private readonly CancellationTokenRegistration _registration;
    private volatile bool _stopping;

    public ApiShutdown(IHostApplicationLifetime host, HealthServiceImpl health, IOptions<GrpcHealthChecksOptions> healthServices)
    {
        _health = health;
        _healthServices = healthServices.Value;
        _registration = host.ApplicationStopping.Register(Stop);
    }

    public bool IsStopping => _stopping;

    /// <summary>Cancelled once health says NOT_SERVING; every server stream's token is linked to it.</summary>
    public CancellationToken StreamsEnding => _streams.Token;

    private void Stop()
    {
        _stopping = true;
        foreach (var service in _healthServices.Services)
            _health.SetStatus(service.Name, ServingStatus.NotServing);
        _streams.Cancel();
    }

    public void Dispose()
    {
        _registration.Dispose();
        _streams.Dispose();
    }
}
