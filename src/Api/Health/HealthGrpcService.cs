using CareTwin.Api.Grpc;
using Grpc.Health.V1;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace CareTwin.Api.Health;

/// <summary>The standard <c>grpc.health.v1.Health</c> service, backed by <see cref="HealthStatusRegistry"/>.</summary>
public sealed class HealthGrpcService(HealthStatusRegistry registry) : IGrpcService
{
    public void Bind(GrpcServiceBinder binder) => binder
        .Service(HealthReflection.Descriptor, "Health")
        .Unary<HealthCheckRequest, HealthCheckResponse>("Check", CheckAsync)
        .ServerStreaming<HealthCheckRequest, HealthCheckResponse>("Watch", WatchAsync);

    private Task<HealthCheckResponse> CheckAsync(HealthCheckRequest request, ServerCallContext context) =>
        registry.TryGet(request.Service, out var status)
            ? Task.FromResult(new HealthCheckResponse { Status = status })
            : throw new RpcException(StatusCode.NotFound, $"Unknown service '{request.Service}'.");

    private async Task WatchAsync(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> stream, ServerCallContext context)
    {
        using var watch = registry.Watch(request.Service);
        ServingStatus? sent = null;
        async Task SendAsync(ServingStatus status)
        {
            if (status != sent)
            {
                await stream.WriteAsync(new HealthCheckResponse { Status = status });
                sent = status;
            }
        }

        try
        {
            await foreach (var status in watch.Reader.ReadAllAsync(context.CancellationToken))
            {
                await SendAsync(status);
            }
        }
        catch (OperationCanceledException)
        {
            // Shutdown publishes NOT_SERVING just before it cancels calls: deliver it, so the
            // watcher learns why the stream ends (the write fails harmlessly if the client is gone).
            while (watch.Reader.TryRead(out var status))
            {
                await SendAsync(status);
            }

            throw;
        }
    }
}
