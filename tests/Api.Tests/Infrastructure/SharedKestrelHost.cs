namespace CareTwin.Api.Tests.Infrastructure;

/// <summary>
/// One API host on Kestrel for a test class's scenarios that cannot disturb each other (each works on its own
/// child, none stops the host, changes its limits or injects storage conflicts). Those that do start their own.
/// </summary>
public sealed class SharedKestrelHost : IAsyncLifetime
{
    private CareTwinApiHost? _host;

    public CareTwinApiHost Host => _host ?? throw new InvalidOperationException("The shared host has not started.");

    public async Task InitializeAsync() => _host = await CareTwinApiHost.StartKestrelAsync();

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
