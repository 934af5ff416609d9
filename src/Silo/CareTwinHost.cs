using CareTwin.Silo.Commands;
using CareTwin.Silo.Composition;
using Microsoft.Extensions.Options;

namespace CareTwin.Silo;

/// <summary>Builds and runs the CareTwin host; settings come from appsettings.json, appsettings.{Environment}.json and the environment (Section__Key).</summary>
public static class CareTwinHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? customize = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.AddStructuredLogging();
        builder.AddOrleansSilo();
        builder.AddExternalApi();
        builder.AddWeb();
        builder.AddSharedDataProtection();
        builder.AddOperatorDashboard();
        customize?.Invoke(builder);
        var app = builder.Build();
        app.UseForwardedRequests();
        app.MapWeb();
        app.MapOperatorDashboard();
        app.MapExternalApi();
        return app;
    }

    /// <summary>
    /// Runs until SIGTERM/Ctrl+C, then deactivates every grain before exiting. A start-up failure is one clear line and exit code 1.
    /// With <c>verify-audit</c> as the first argument it starts nothing and checks the journals' hash chains instead (<see cref="VerifyAuditCommand"/>).
    /// </summary>
    public static async Task<int> RunAsync(string[] args)
    {
        if (args is [VerifyAuditCommand.Name, .. var rest])
            return await VerifyAuditCommand.RunAsync(rest, Console.Out, Console.Error);
        WebApplication app;
        try
        {
            app = Build(args);
        }
        // Options validation can fail here too, not only at start: mapping the gRPC services reads Api's limits.
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException or OptionsValidationException)
        {
            Console.Error.WriteLine($"CareTwin could not start: {ex.Message}");
            return 1;
        }
        await using (app)
        {
            try
            {
                await app.Services.GetRequiredService<StoragePreflight>().CheckAsync(app.Services, CancellationToken.None);
                await app.StartAsync();
            }
            catch (Exception ex)
            {
                Console.Error.WriteLine($"CareTwin could not start: {StartupFailure.Describe(ex)}");
                return 1;
            }
            await app.WaitForShutdownAsync();
        }
        return 0;
    }
}
