using CareTwin.Grains.Services;
using CareTwin.Journey.Services;

namespace CareTwin.Web.Views;

/// <summary>Reads a service's twin as the agency page shows it (its first view and the hub's). Callers have already been let in by the access gate.</summary>
public static class ServiceViewReader
{
    public static async Task<ServiceView> ReadAsync(IGrainFactory grains, ServiceKey service)
    {
        var overview = await grains.GetGrain<IServiceGrain>(service.Value).GetOverview();
        return new ServiceView(service.Value, overview.Profile?.Name ?? ServiceNames.Unlisted, overview.ActiveBlockers, overview.AwaitingAcknowledgement, overview.Performance, overview.AsOf);
    }
}
