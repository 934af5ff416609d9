using Google.Protobuf;

namespace CareTwin.Api.Grpc;

/// <summary>Handles a unary call: one request in, one response out (or an <see cref="RpcException"/>).</summary>
public delegate Task<TResponse> UnaryHandler<in TRequest, TResponse>(TRequest request, ServerCallContext context)
    where TRequest : IMessage<TRequest>
    where TResponse : IMessage<TResponse>;

/// <summary>Handles a server-streaming call: one request in, any number of responses written to the stream.</summary>
public delegate Task ServerStreamingHandler<in TRequest, TResponse>(
    TRequest request,
    IServerStreamWriter<TResponse> responseStream,
    ServerCallContext context)
    where TRequest : IMessage<TRequest>
    where TResponse : IMessage<TResponse>;
