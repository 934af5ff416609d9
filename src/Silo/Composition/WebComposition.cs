namespace CareTwin.Silo.Composition;

internal static class WebComposition
{
    /// <summary>The browser-facing part: sign-in, pages, SignalR hubs and the ClientApp bundle (src/Web).</summary>
    public static void AddWeb(this WebApplicationBuilder builder)
    {
    }

    public static void MapWeb(this WebApplication app)
    {
    }
}
