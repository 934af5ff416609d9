using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace CareTwin.Api.Grpc;

/// <summary>A bound method: its path and how to run one call of it.</summary>
internal abstract class GrpcMethod(MethodDescriptor descriptor)
{
    public MethodDescriptor Descriptor { get; } = descriptor;

    /// <summary>The HTTP/2 :path, <c>/package.Service/Method</c>.</summary>
    public string Path { get; } = $"/{descriptor.Service.FullName}/{descriptor.Name}";

    public abstract Task InvokeAsync(GrpcCall call);

    protected static TResponse NotNull<TResponse>(TResponse? response, string path)
        where TResponse : class =>
        response ?? throw new InvalidOperationException($"The handler of {path} returned no response message.");
}

internal sealed class UnaryMethod<TRequest, TResponse>(MethodDescriptor descriptor, UnaryHandler<TRequest, TResponse> handler)
    : GrpcMethod(descriptor)
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>
{
    private static readonly MessageParser<TRequest> Parser = new(() => new TRequest());

    public override async Task InvokeAsync(GrpcCall call)
    {
        var request = await call.ReadRequestAsync(Parser, Descriptor.InputType.FullName);
        var response = NotNull(await handler(request, call.Context), Path);

        // No flush: the message and the trailers leave together.
        await call.Response.WriteAsync(response, flush: false);
    }
}

internal sealed class ServerStreamingMethod<TRequest, TResponse>(MethodDescriptor descriptor, ServerStreamingHandler<TRequest, TResponse> handler)
    : GrpcMethod(descriptor)
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>
{
    private static readonly MessageParser<TRequest> Parser = new(() => new TRequest());

    public override async Task InvokeAsync(GrpcCall call)
    {
        var request = await call.ReadRequestAsync(Parser, Descriptor.InputType.FullName);
        await handler(request, new ResponseStreamWriter(call.Response, Path), call.Context);
    }

    private sealed class ResponseStreamWriter(GrpcCallResponse response, string path) : IServerStreamWriter<TResponse>
    {
        public Task WriteAsync(TResponse message) => response.WriteAsync(NotNull(message, path), flush: true);
    }
}
