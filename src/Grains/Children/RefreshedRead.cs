namespace CareTwin.Grains.Children;

/// <summary>
/// Something a twin reads from another grain that changes rarely (the service directory, the learned lead times):
/// fetched at most once a <paramref name="refreshAfter"/>, so a command does not cost a call to a grain every twin
/// shares. One per activation, so a twin activated after a change sees it at once.
/// </summary>
internal sealed class RefreshedRead<T>(Func<Task<T>> fetch, TimeProvider clock, TimeSpan refreshAfter) where T : class
{
    private T? _value;
    private DateTimeOffset _readAt;

    public async ValueTask<T> GetAsync()
    {
        var now = clock.GetUtcNow();
        if (_value is null || now - _readAt >= refreshAfter || now < _readAt)
        {
            _value = await fetch();
            _readAt = now;
        }
        return _value;
    }

    /// <summary>Reads afresh next time (after this twin changed what it reads).</summary>
    public void Forget() => _value = null;
}
