using Microsoft.Extensions.Hosting;

namespace CareTwin.Api.Authentication;

/// <summary>
/// Loads the API keys as the host starts (so a key setting or keys file that is not valid stops the start with one
/// line, before any call is served), then looks at the keys file every <see cref="ApiKeyRegistry.FileCheckInterval"/>.
/// Configuration reloads (appsettings.json) reach the registry by themselves.
/// </summary>
internal sealed class ApiKeysReload(IServiceProvider services) : BackgroundService
{
    private ApiKeyRegistry? _keys;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _keys = (ApiKeyRegistry)services.GetService(typeof(ApiKeyRegistry))!;
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_keys?.KeysFile is null)
            return;
        using var timer = new PeriodicTimer(ApiKeyRegistry.FileCheckInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                _keys.CheckFile();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
