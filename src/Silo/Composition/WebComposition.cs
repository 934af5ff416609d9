using CareTwin.Journey.Demo;
using CareTwin.Web.Hosting;

namespace CareTwin.Silo.Composition;

internal static class WebComposition
{
    /// <summary>The browser-facing part: sign-in, pages, SignalR hubs and the ClientApp bundle (src/Web).</summary>
    public static void AddWeb(this WebApplicationBuilder builder)
    {
        var demo = builder.DemoSettings();
        builder.Services.AddCareTwinWeb(builder.Configuration, demo.Enabled);
        if (demo.Enabled) builder.Services.PostConfigure<WebOptions>(web => AddDemoRegion(web, demo));
    }

    public static void MapWeb(this WebApplication app) => app.MapCareTwinWeb();

    /// <summary>The demo region's boards and hospital names, after any configured ones.</summary>
    private static void AddDemoRegion(WebOptions web, DemoSettings demo)
    {
        var region = DemoRegionGenerator.Generate(demo.Seed, DateTimeOffset.UtcNow, children: 0);
        var boards = new[] { new BoardChoice { Key = $"region:{region.RegionKey}", Title = region.RegionName } }
            .Concat(region.Hospitals.Select(h => new BoardChoice { Key = $"hospital:{h.Key}", Title = h.Name }));
        foreach (var board in boards.Where(b => web.Boards.All(c => c.Key != b.Key))) web.Boards.Add(board);
        foreach (var hospital in region.Hospitals) web.Hospitals.TryAdd(hospital.Key, hospital.Name);
    }
}
