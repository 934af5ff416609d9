using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace CareTwin.Api.Grpc;

/// <summary>
/// Given to <see cref="IGrpcService.Bind"/>: names the .proto service whose methods it implements.
/// Every mistake (unknown name, wrong shape or message type, duplicate) fails at startup.
/// </summary>
public sealed class GrpcServiceBinder
{
    private readonly Action<GrpcMethod> _add;

    internal GrpcServiceBinder(Action<GrpcMethod> add) => _add = add;

    /// <summary>Binds methods of <paramref name="serviceName"/> (unqualified, as in the .proto) declared in <paramref name="file"/>.</summary>
    public GrpcMethodBinder Service(FileDescriptor file, string serviceName)
    {
        var service = file.Services.FirstOrDefault(s => s.Name == serviceName)
            ?? throw new InvalidOperationException($"{file.Name} declares no service '{serviceName}'.");
        return new GrpcMethodBinder(service, _add);
    }
}

/// <summary>Binds handlers to the methods of one .proto service.</summary>
public sealed class GrpcMethodBinder
{
    private readonly ServiceDescriptor _service;
    private readonly Action<GrpcMethod> _add;

    internal GrpcMethodBinder(ServiceDescriptor service, Action<GrpcMethod> add)
    {
        _service = service;
        _add = add;
    }

    public GrpcMethodBinder Unary<TRequest, TResponse>(string methodName, UnaryHandler<TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>
    {
        var method = Find<TRequest, TResponse>(methodName, serverStreaming: false);
        _add(new UnaryMethod<TRequest, TResponse>(method, handler));
        return this;
    }

    public GrpcMethodBinder ServerStreaming<TRequest, TResponse>(string methodName, ServerStreamingHandler<TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>
    {
        var method = Find<TRequest, TResponse>(methodName, serverStreaming: true);
        _add(new ServerStreamingMethod<TRequest, TResponse>(method, handler));
        return this;
    }

    private MethodDescriptor Find<TRequest, TResponse>(string methodName, bool serverStreaming)
    {
        var method = _service.FindMethodByName(methodName)
            ?? throw new InvalidOperationException($"{_service.FullName} has no method '{methodName}'.");
        if (method.IsClientStreaming)
        {
            throw new InvalidOperationException($"{_service.FullName}/{methodName} is client-streaming, which this adapter does not support.");
        }

        if (method.IsServerStreaming != serverStreaming)
        {
            var shape = method.IsServerStreaming ? "server-streaming; bind it with ServerStreaming" : "unary; bind it with Unary";
            throw new InvalidOperationException($"{_service.FullName}/{methodName} is {shape}.");
        }

        if (method.InputType.ClrType != typeof(TRequest) || method.OutputType.ClrType != typeof(TResponse))
        {
            throw new InvalidOperationException(
                $"{_service.FullName}/{methodName} takes {method.InputType.ClrType.Name} and returns {method.OutputType.ClrType.Name}, "
                + $"not {typeof(TRequest).Name} and {typeof(TResponse).Name}.");
        }

        return method;
    }
}
