namespace CareTwin.Api.Grpc;

/// <summary>
/// A gRPC service implementation: binds its handlers to the methods of a .proto service.
/// Registered with <see cref="GrpcAdapterBuilder.AddService{TService}"/> (a singleton);
/// per-call services come from <see cref="ServerCallContext.Services"/>.
/// </summary>
public interface IGrpcService
{
    void Bind(GrpcServiceBinder binder);
}
