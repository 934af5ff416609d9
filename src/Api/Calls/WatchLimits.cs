using CareTwin.Api.Authentication;
using CareTwin.Api.Errors;
using Microsoft.Extensions.Options;

namespace CareTwin.Api.Calls;

/// <summary>
/// Counts open watches per connection (its peer address and port) and per API key, because each holds a stream
/// subscription and a buffer for as long as the client keeps it open.
/// </summary>
public sealed class WatchLimits(IOptions<ApiOptions> options)
{
    private readonly ApiOptions _options = options.Value;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _byConnection = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _byKey = new(StringComparer.Ordinal);

    /// <summary>Counts a new watch, or fails the call with RESOURCE_EXHAUSTED; dispose the lease when the watch ends.</summary>
    public IDisposable Open(ExternalCall call)
    {
        var connection = call.Peer;
        var key = call.Caller.Id;
        lock (_gate)
        {
            if (_byConnection.GetValueOrDefault(connection) >= _options.MaxWatchesPerConnection)
                throw ApiStatusMapper.WatchLimit($"This connection already has {_options.MaxWatchesPerConnection} open watches, the most allowed; cancel one first.");
            if (_byKey.GetValueOrDefault(key) >= _options.MaxWatchesPerKey)
                throw ApiStatusMapper.WatchLimit($"This API key already has {_options.MaxWatchesPerKey} open watches, the most allowed; cancel one first.");
            Add(_byConnection, connection, +1);
            Add(_byKey, key, +1);
        }
        return new Lease(this, connection, key);
    }

    private void Close(string connection, string key)
    {
        lock (_gate)
        {
            Add(_byConnection, connection, -1);
            Add(_byKey, key, -1);
        }
    }

    private static void Add(Dictionary<string, int> counts, string name, int by)
    {
        var count = counts.GetValueOrDefault(name) + by;
        if (count == 0)
            counts.Remove(name);
        else
            counts[name] = count;
    }

    private sealed class Lease(WatchLimits limits, string connection, string key) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                limits.Close(connection, key);
        }
    }
}
