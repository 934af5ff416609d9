namespace CareTwin.Api.Tests.Infrastructure;

/// <summary>Tests with a fresh in-memory host per test and a client holding the EPR's key.</summary>
public abstract class InMemoryApiTests : IAsyncLifetime
{
    protected CareTwinApiHost Host { get; private set; } = null!;

    protected CareTwinClient Epr { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Host = await CareTwinApiHost.StartInMemoryAsync();
        Epr = Host.Client(Host.EprKey);
    }

    public virtual async Task DisposeAsync()
    {
        Epr.Dispose();
        await Host.DisposeAsync();
    }
}
