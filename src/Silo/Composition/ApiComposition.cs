using CareTwin.Api.Grpc;

namespace CareTwin.Silo.Composition;

internal static class ApiComposition
{
    /// <summary>Kestrel listeners (web HTTP/1.1 + gRPC h2c, or one TLS port) and the gRPC services.</summary>
    public static void AddExternalApi(this WebApplicationBuilder builder)
    {
        builder.WebHost.UseGrpcEndpoints();
        builder.Services.AddGrpcAdapter();
        builder.Services.AddHealthChecks();
    }

    public static void MapExternalApi(this WebApplication app)
    {
        app.MapGrpcServices();
        // For load balancers and service managers that probe over plain HTTP.
        app.MapHealthChecks("/healthz");
    }
}
