using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CareTwin.Api.Grpc;

/// <summary>Returned by <see cref="GrpcServiceCollectionExtensions.AddGrpcAdapter"/> to add services to the adapter.</summary>
public sealed class GrpcAdapterBuilder(IServiceCollection services)
{
    public IServiceCollection Services { get; } = services;

    /// <summary>Adds a gRPC service (a singleton); its methods are mapped by MapGrpcServices.</summary>
    public GrpcAdapterBuilder AddService<TService>()
        where TService : class, IGrpcService
    {
        Services.TryAddSingleton<TService>();
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IGrpcService, TService>(sp => sp.GetRequiredService<TService>()));
        return this;
    }

    /// <summary>Adds a mapper from exceptions to statuses, consulted before an exception becomes INTERNAL.</summary>
    public GrpcAdapterBuilder AddExceptionMapper<TMapper>()
        where TMapper : class, IRpcExceptionMapper
    {
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IRpcExceptionMapper, TMapper>());
        return this;
    }
}
