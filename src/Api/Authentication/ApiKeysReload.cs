using Microsoft.Extensions.Hosting;

namespace CareTwin.Api.Authentication;

/// <summary>
/// Looks at the keys file every <see cref="ApiKeyRegistry.FileCheckInterval"/> while the host runs. The registry is
/// loaded (and its keys checked) when the API is mapped, or here at the latest, before any call is served;
/// configuration reloads (appsettings.json) reach it by themselves.
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
