using System.Security.Claims;
using System.Threading.RateLimiting;
using CareTwin.Web.Hosting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace CareTwin.Web.Live;

/// <summary>
/// Limits hub calls per signed-in user (all their connections together): a burst, then a steady refill.
/// A call over the limit is refused with a hub error and does nothing.
/// </summary>
public sealed class HubCallLimiter : IHubFilter, IDisposable
{
    public const string TooManyCalls = "Too many requests: wait a few seconds and try again.";

    private readonly PartitionedRateLimiter<string> _limiter;

    public HubCallLimiter(IOptions<WebOptions> options)
    {
        var limits = options.Value.Live;
        _limiter = PartitionedRateLimiter.Create<string, string>(user => RateLimitPartition.GetTokenBucketLimiter(user, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = limits.CallBurst,
            TokensPerPeriod = limits.CallsPerRefill,
            ReplenishmentPeriod = limits.CallRefillPeriod,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var user = invocationContext.Context.User?.FindFirstValue(ClaimTypes.NameIdentifier) ?? invocationContext.Context.ConnectionId;
        using var lease = _limiter.AttemptAcquire(user);
        if (!lease.IsAcquired) throw new HubException(TooManyCalls);
        return await next(invocationContext);
    }

    public void Dispose() => _limiter.Dispose();
}
