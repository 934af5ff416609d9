using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CareTwin.Api.Grpc;

/// <summary>
/// Orders what happens to gRPC calls when the host stops: first the stopping callbacks run
/// (health turns NOT_SERVING, so watchers hear it), then in-flight calls are cancelled and end
/// with UNAVAILABLE, and new calls are refused. One ordered callback instead of several
/// registrations on ApplicationStopping, whose relative order is not guaranteed.
/// </summary>
public sealed class GrpcServerLifetime : IDisposable
{
    private readonly CancellationTokenSource _calls = new();
    private readonly List<Action> _onStopping = [];
    private readonly Lock _gate = new();
    private readonly ILogger<GrpcServerLifetime> _logger;
    private readonly CancellationTokenRegistration _registration;
    private volatile bool _stopping;

    public GrpcServerLifetime(IHostApplicationLifetime host, ILogger<GrpcServerLifetime> logger)
    {
        _logger = logger;
        _registration = host.ApplicationStopping.Register(Stop);
    }

    public bool IsStopping => _stopping;

    /// <summary>Cancelled after the stopping callbacks have run; every call's token is linked to it.</summary>
    public CancellationToken CallsCancelled => _calls.Token;

    /// <summary>Runs <paramref name="callback"/> when the host starts stopping, before calls are cancelled.</summary>
    public void OnStopping(Action callback)
    {
        lock (_gate)
        {
            if (!_stopping)
            {
                _onStopping.Add(callback);
                return;
            }
        }

        callback();
    }

    private void Stop()
    {
        Action[] callbacks;
        lock (_gate)
        {
            _stopping = true;
            callbacks = [.. _onStopping];
        }

        foreach (var callback in callbacks)
        {
            try
            {
                callback();
            }
            catch (Exception exception)
            {
                // One failing callback must not keep calls from being cancelled.
                GrpcLog.StoppingCallbackFailed(_logger, exception);
            }
        }

        _calls.Cancel();
    }

    public void Dispose()
    {
        _registration.Dispose();
        _calls.Dispose();
    }
}
