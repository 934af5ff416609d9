using CareTwin.Api.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CareTwin.Api.Grpc;

public static class GrpcServiceCollectionExtensions
{
    /// <summary>
    /// Adds the gRPC adapter, its options (configuration section <c>Grpc</c>, validated at start)
    /// and the standard health service <c>grpc.health.v1.Health</c>.
    /// </summary>
    public static GrpcAdapterBuilder AddGrpcAdapter(this IServiceCollection services)
    {
        services.AddOptions<GrpcOptions>()
            .BindConfiguration(GrpcOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<GrpcMethodRegistry>();
        services.TryAddSingleton<GrpcServerLifetime>();
        services.TryAddSingleton<GrpcCallProcessor>();
        services.TryAddSingleton<HealthStatusRegistry>();
        return new GrpcAdapterBuilder(services).AddService<HealthGrpcService>();
    }
}
