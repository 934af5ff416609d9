using System.Diagnostics;
using CareTwin.Journey.Delays;

namespace CareTwin.Grains.Forecasts;

/// <summary>
/// The learned lead times as this node last read them, for the API's and pages' forecasts: read from the one
/// <see cref="ILeadTimeGrain"/> at most once per <see cref="Freshness"/>, not once per request. Every read of a journey
/// forecasts, and a call per read to the grain every node shares cost more than the read's own twin.
/// </summary>
/// <remarks>
/// Not a <c>RefreshedRead</c> (one activation's copy, used only in its turns): every request thread shares this one, so
/// it keeps the read's task under a lock, and requests arriving while a read is in flight wait for that same read.
/// </remarks>
public sealed class LeadTimesOnThisNode(IGrainFactory grains)
{
    /// <summary>Real time, not the journey's clock: this is plumbing, and a test's frozen clock must not freeze it.</summary>
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private Task<LeadTimes>? _read;
    private long _readAt;

    public Task<LeadTimes> GetAsync()
    {
        lock (_lock)
        {
            // A failed read is not kept: the next request asks the grain again.
            if (_read is not { IsFaulted: false, IsCanceled: false } || Stopwatch.GetElapsedTime(_readAt) >= Freshness)
            {
                _read = grains.GetGrain<ILeadTimeGrain>(ILeadTimeGrain.DefaultKey).GetLeadTimes();
                _readAt = Stopwatch.GetTimestamp();
            }
            return _read;
        }
    }
}
