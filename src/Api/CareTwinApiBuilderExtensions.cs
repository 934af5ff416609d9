using CareTwin.Api.Authentication;
using CareTwin.Api.Calls;
using CareTwin.Api.Grpc;
using CareTwin.Api.Journeys;
using CareTwin.Api.Errors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CareTwin.Api;

public static class CareTwinApiBuilderExtensions
{
    /// <summary>
    /// The CareTwin services (caretwin.v1 Journeys, Ingest, Watch), their API-key authentication and limits
    /// (configuration section <c>Api</c>, validated at start) and the status mapper. The host must also
    /// provide the Orleans silo with the CareTwin grains and the <c>AccessGate</c>.
    /// </summary>
    public static GrpcAdapterBuilder AddCareTwinApi(this GrpcAdapterBuilder grpc)
    {
        var services = grpc.Services;
        services.AddOptions<ApiOptions>()
            .BindConfiguration(ApiOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ApiOptions>, ApiOptionsValidator>());
        services.TryAddSingleton<ApiKeyRegistry>();
        services.TryAddSingleton<CallRateLimiter>();
        services.TryAddSingleton<WatchLimits>();
        services.TryAddSingleton<CallAdmission>();
        services.TryAddSingleton<JourneyChanges>();
        return grpc
            .AddExceptionMapper<ApiStatusMapper>()
            .AddService<JourneysGrpcService>()
            .AddService<IngestGrpcService>()
            .AddService<WatchGrpcService>();
    }
}
