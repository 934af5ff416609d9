using System.Diagnostics;

namespace CareTwin.Grains.Views;

/// <summary>
/// Persists a derived view (a board, a service's ledger) lazily: one write per <see cref="WriteBehindDelay"/> at most, and on
/// deactivation. Writing a whole board on every child change would not scale, and the truth is in the
/// children's journals: a crash loses at most the last moments of a view, which heal when those children
/// next activate and re-send their rows.
/// </summary>
/// <param name="write">Stores the view as it is now.</param>
internal sealed class WriteBehind(IGrainBase grain, Func<Task> write)
{
    public WriteBehind(IGrainBase grain, Orleans.Core.IStorage storage) : this(grain, () => storage.WriteStateAsync())
    {
    }

    private IGrainTimer? _timer;
    private bool _changed;
    private TimeSpan _lastWrite;

    public void Changed()
    {
        _changed = true;
        _timer ??= grain.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions(WriteBehindDelay.After(_lastWrite), Timeout.InfiniteTimeSpan));
    }

    public async Task FlushAsync()
    {
        _timer?.Dispose();
        _timer = null;
        if (!_changed)
            return;
        _changed = false;
        var started = Stopwatch.GetTimestamp();
        try
        {
            await write();
            _lastWrite = Stopwatch.GetElapsedTime(started);
        }
        catch
        {
            _changed = true;
            throw;
        }
    }
}

/// <summary>
/// How long a view waits before its next write: <see cref="Least"/>, or ten times what its last write took if
/// longer. While every child wakes (a node starting on 100,000 journals) every share of a region board changes, and a
/// write stores the whole board (~240 MiB, seconds: bench/results/view-writes.md); this keeps such writes to a tenth of
/// the node's time however large the board grows.
/// </summary>
internal static class WriteBehindDelay
{
    public static readonly TimeSpan Least = TimeSpan.FromSeconds(5);

    public static TimeSpan After(TimeSpan lastWrite) => lastWrite * 10 > Least ? lastWrite * 10 : Least;
}
