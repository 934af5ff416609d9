using System.Threading.RateLimiting;
using CareTwin.Api.Authentication;
using CareTwin.Api.Errors;
using Microsoft.Extensions.Options;

namespace CareTwin.Api.Calls;

/// <summary>A token bucket per API key, and per client address for calls without a valid key (so key guessing is slowed too).</summary>
public sealed class CallRateLimiter : IDisposable
{
    private readonly ApiRateLimitOptions _options;
    private readonly PartitionedRateLimiter<string> _buckets;

    public CallRateLimiter(IOptions<ApiOptions> options)
    {
        _options = options.Value.RateLimit;
        // Refilled about every 100 ms rather than once a second, so a busy key is smoothed instead of bursting each second.
        var perPeriod = Math.Max(1, _options.PermitsPerSecond / 10);
        var period = TimeSpan.FromTicks(TimeSpan.TicksPerSecond * perPeriod / _options.PermitsPerSecond);
        _buckets = PartitionedRateLimiter.Create<string, string>(partition => RateLimitPartition.GetTokenBucketLimiter(partition, _ =>
            new TokenBucketRateLimiterOptions
            {
                TokenLimit = _options.Burst,
                TokensPerPeriod = perPeriod,
                ReplenishmentPeriod = period,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    /// <summary>Takes <paramref name="permits"/> tokens for the key's system, or fails the call with RESOURCE_EXHAUSTED.</summary>
    public void TakeForKey(string system, int permits) =>
        Take("key:" + system, permits, $"This API key's rate limit ({_options.PermitsPerSecond} requests or batch items per second, bursts of {_options.Burst}) is used up; slow down and retry.");

    /// <summary>Takes one token for a client that sent no valid key, by its IP address.</summary>
    public void TakeForAddress(string peer) =>
        Take("peer:" + Address(peer), 1, "Too many calls without a valid API key from this address; slow down.");

    public void Dispose() => _buckets.Dispose();

    private void Take(string partition, int permits, string message)
    {
        using var lease = _buckets.AttemptAcquire(partition, Math.Min(permits, _options.Burst));
        if (!lease.IsAcquired)
            throw ApiStatusMapper.RateLimited(message);
    }

    /// <summary>gRPC's peer "ipv4:1.2.3.4:port" without the port: one client, whatever connection it uses.</summary>
    private static string Address(string peer)
    {
        var colon = peer.LastIndexOf(':');
        return colon > 0 ? peer[..colon] : peer;
    }
}
