
namespace CareTwin.Grains.Views;

/// <summary>
/// Persists a derived view (a board, a service's ledger) lazily: one write per <see cref="Delay"/> at most, and on
/// deactivation. Writing a whole board on every child change would not scale, and the truth is in the
/// children's journals: a crash loses at most the last moments of a view, which heal when those children
/// next activate and re-send their rows.
/// </summary>
internal sealed class WriteBehind<TState>(IGrainBase grain, IPersistentState<TState> storage)
{
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(5);

    private IGrainTimer? _timer;
    private bool _changed;

    public void Changed()
    {
        _changed = true;
        _timer ??= grain.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions(Delay, Timeout.InfiniteTimeSpan));
    }

    public async Task FlushAsync()
    {
        _timer?.Dispose();
        _timer = null;
        if (!_changed)
            return;
        _changed = false;
        try
        {
            await storage.WriteStateAsync();
        }
        catch
        {
            _changed = true;
            throw;
        }
    }
}
