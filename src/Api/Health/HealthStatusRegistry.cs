using System.Threading.Channels;
using CareTwin.Api.Grpc;
using Grpc.Health.V1;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace CareTwin.Api.Health;

/// <summary>
/// Serving status per service name for <c>grpc.health.v1.Health</c>. Known services are the
/// overall "" service, every bound gRPC service (SERVING unless set otherwise) and any name
/// given to <see cref="Set"/>. Once the host is stopping every known service reports NOT_SERVING.
/// </summary>
public sealed class HealthStatusRegistry
{
    public const string OverallService = "";

    private readonly GrpcMethodRegistry _methods;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ServingStatus> _statuses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<Watcher>> _watchers = new(StringComparer.Ordinal);
    private bool _stopping;

    public HealthStatusRegistry(GrpcMethodRegistry methods, GrpcServerLifetime lifetime)
    {
        _methods = methods;
        lifetime.OnStopping(MarkStopping);
    }

    /// <summary>The current status, or false when the service is unknown.</summary>
    public bool TryGet(string service, out ServingStatus status)
    {
        lock (_gate)
        {
            var current = Current(service);
            status = current ?? ServingStatus.ServiceUnknown;
            return current is not null;
        }
    }

    /// <summary>Sets a service's status (e.g. NOT_SERVING while its storage is down); watchers hear changes.</summary>
    public void Set(string service, ServingStatus status)
    {
        ArgumentNullException.ThrowIfNull(service);
        lock (_gate)
        {
            var before = Current(service);
            _statuses[service] = status;
            Publish(service, before);
        }
    }

    /// <summary>
    /// Follows a service: the first status read is the current one (SERVICE_UNKNOWN if unknown),
    /// then one per change. A slow reader sees the latest status, not every intermediate one.
    /// </summary>
    public HealthWatch Watch(string service)
    {
        var watcher = new Watcher(this, service);
        lock (_gate)
        {
            if (!_watchers.TryGetValue(service, out var set))
            {
                _watchers[service] = set = [];
            }

            set.Add(watcher);
            watcher.Channel.Writer.TryWrite(Current(service) ?? ServingStatus.ServiceUnknown);
        }

        return watcher;
    }

    private void MarkStopping()
    {
        lock (_gate)
        {
            var before = _watchers.Keys.ToDictionary(service => service, Current);
            _stopping = true;
            foreach (var (service, status) in before)
            {
                Publish(service, status);
            }
        }
    }

    private ServingStatus? Current(string service)
    {
        ServingStatus status;
        if (_statuses.TryGetValue(service, out var set))
        {
            status = set;
        }
        else if (service == OverallService || _methods.HasService(service))
        {
            status = ServingStatus.Serving;
        }
        else
        {
            return null;
        }

        return _stopping ? ServingStatus.NotServing : status;
    }

    private void Publish(string service, ServingStatus? before)
    {
        var after = Current(service);
        if (after == before || after is null || !_watchers.TryGetValue(service, out var watchers))
        {
            return;
        }

        foreach (var watcher in watchers)
        {
            watcher.Channel.Writer.TryWrite(after.Value);
        }
    }

    private void Remove(Watcher watcher)
    {
        lock (_gate)
        {
            if (_watchers.TryGetValue(watcher.Service, out var set) && set.Remove(watcher) && set.Count == 0)
            {
                _watchers.Remove(watcher.Service);
            }
        }
    }

    private sealed class Watcher(HealthStatusRegistry registry, string service) : HealthWatch
    {
        // Only the latest status matters to a health watcher; older ones are dropped, memory stays bounded.
        public Channel<ServingStatus> Channel { get; } = System.Threading.Channels.Channel.CreateBounded<ServingStatus>(
            new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

        public string Service { get; } = service;

        public override ChannelReader<ServingStatus> Reader => Channel.Reader;

        public override void Dispose() => registry.Remove(this);
    }
}

/// <summary>A subscription to one service's status; dispose to stop following it.</summary>
public abstract class HealthWatch : IDisposable
{
    public abstract ChannelReader<ServingStatus> Reader { get; }

    public abstract void Dispose();
}
