using CareTwin.Api.Authentication;
using CareTwin.Api.Calls;
using CareTwin.Api.Errors;
using CareTwin.Api.Health;
using CareTwin.Api.Journeys;
using CareTwin.Api.Rest;
using CareTwin.Grains.Forecasts;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CareTwin.Api;

public static class CareTwinApiBuilderExtensions
{
    /// <summary>The gRPC services external systems call; the health service answers for each and for "" (the whole node).</summary>
    public static readonly string[] ServiceNames = ["caretwin.v1.Journeys", "caretwin.v1.Ingest", "caretwin.v1.Watch"];

    /// <summary>
    /// The CareTwin services (caretwin.v1 Journeys, Ingest, Watch) on Grpc.AspNetCore, also as REST/JSON through gRPC
    /// JSON transcoding with an OpenAPI description, their API-key authentication
    /// and limits (configuration section <c>Api</c>, validated at start), grpc.health.v1 reporting readiness
    /// (storage reachable, silo active, not stopping) and server reflection. The host must also provide the Orleans
    /// silo with the CareTwin grains, the <c>IStorageProvider</c> and the <c>AccessGate</c>.
    /// </summary>
    public static IServiceCollection AddCareTwinApi(this IServiceCollection services)
    {
        services.AddOptions<ApiOptions>()
            .BindConfiguration(ApiOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ApiOptions>, ApiOptionsValidator>());
        services.TryAddSingleton<ApiKeyRegistry>();
        services.AddHostedService<ApiKeysReload>();
        services.TryAddSingleton<CallRateLimiter>();
        services.TryAddSingleton<WatchLimits>();
        services.TryAddSingleton<CallAdmission>();
        services.TryAddSingleton<JourneyChanges>();
        services.TryAddSingleton<LeadTimesOnThisNode>();
        services.TryAddSingleton<ApiShutdown>();

        services.AddGrpc(grpc =>
        {
            grpc.Interceptors.Add<ApiCallInterceptor>();
            // Every handler failure is already an RpcException from ApiCallInterceptor (INTERNAL with a trace id for
            // the unexpected), so detail reaches the caller only for what fails before a handler runs: a request
            // that is not valid protobuf, or a broken frame. That detail is about the caller's own bytes.
            grpc.EnableDetailedErrors = true;
        })
            // The same services as REST/JSON on their google.api.http routes, through the same interceptor and handlers.
            .AddJsonTranscoding();
        RestOpenApi.Add(services);
        services.AddOptions<GrpcServiceOptions>().Configure<IOptions<ApiOptions>>((grpc, api) =>
        {
            grpc.MaxReceiveMessageSize = api.Value.MaxMessageBytes;
            grpc.MaxSendMessageSize = api.Value.MaxMessageBytes;
        });
        services.AddGrpcReflection();
        AddReadiness(services);
        return services;
    }

    /// <summary>
    /// Maps the CareTwin services (gRPC, and REST/JSON on their google.api.http routes with failures as problem
    /// details), the OpenAPI description of the REST routes (<c>/openapi/v1.json</c>), grpc.health.v1.Health and
    /// grpc.reflection. The routes answer on every listener the host has, HTTP/1.1 and HTTP/2.
    /// </summary>
    public static void MapCareTwinApi(this IEndpointRouteBuilder endpoints)
    {
        // Created now, not on the first call: it is what turns health NOT_SERVING when the host stops.
        endpoints.ServiceProvider.GetRequiredService<ApiShutdown>();
        // Loaded now, so keys that are not valid (in configuration or Api:KeysFile) stop the start before anything runs.
        endpoints.ServiceProvider.GetRequiredService<ApiKeyRegistry>();
        endpoints.MapGrpcService<JourneysGrpcService>().WithRestProblems();
        endpoints.MapGrpcService<IngestGrpcService>().WithRestProblems();
        endpoints.MapGrpcService<WatchGrpcService>().WithRestProblems();
        endpoints.MapGrpcHealthChecksService();
        endpoints.MapGrpcReflectionService();
        endpoints.MapSwagger(RestOpenApi.Route);
    }

    private static void AddReadiness(IServiceCollection services)
    {
        services.TryAddSingleton<SiloReadiness>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<SiloReadiness>());
        services.AddGrpcHealthChecks(health =>
            {
                foreach (var name in ServiceNames)
                    health.Services.Map(name, _ => true);
                // ApiShutdown ends health watches, in order: NOT_SERVING first, then the end. The library's own ending
                // runs before it (each watch registers on ApplicationStopping after ApiShutdown did, and later
                // registrations run first): it drops the watcher before ApiShutdown's NOT_SERVING and then skips its own
                // closing NOT_SERVING, the stream's token being cancelled by then. Watchers never heard NOT_SERVING.
                health.SuppressCompletionOnShutdown = true;
            })
            .AddCheck<StorageReachableCheck>(ReadinessChecks.Storage)
            .AddCheck<SiloActiveCheck>(ReadinessChecks.Silo)
            .AddCheck<NotStoppingCheck>(ReadinessChecks.Stopping);
        // Health watchers hear a change within this period; Check always runs the checks there and then.
        services.Configure<HealthCheckPublisherOptions>(publisher =>
        {
            publisher.Delay = TimeSpan.Zero;
            publisher.Period = TimeSpan.FromSeconds(5);
        });
    }
}
