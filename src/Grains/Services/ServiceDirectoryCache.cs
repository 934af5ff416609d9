namespace CareTwin.Grains.Services;

/// <summary>
/// The service directory as one twin reads it: fetched from its grain at most once a <see cref="RefreshAfter"/>.
/// Profiles change rarely; a minute's lag after a service is registered costs less than a call to the directory
/// for every command. One per activation, so a twin activated after a registration sees it at once.
/// </summary>
internal sealed class ServiceDirectoryCache(IGrainFactory grains, TimeProvider clock)
{
    public static readonly TimeSpan RefreshAfter = TimeSpan.FromMinutes(1);

    private ServiceDirectorySnapshot? _directory;
    private DateTimeOffset _readAt;

    public async ValueTask<ServiceDirectorySnapshot> GetAsync()
    {
        var now = clock.GetUtcNow();
        if (_directory is null || now - _readAt >= RefreshAfter || now < _readAt)
        {
            _directory = await grains.GetGrain<IServiceDirectoryGrain>(IServiceDirectoryGrain.DefaultKey).GetDirectory();
            _readAt = now;
        }
        return _directory;
    }
}
