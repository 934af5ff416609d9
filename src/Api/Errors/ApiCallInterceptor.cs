using CareTwin.Api.Calls;
using CareTwin.Api.Rest;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;

namespace CareTwin.Api.Errors;

/// <summary>
/// Wraps every gRPC call the host serves: a CareTwin failure becomes its documented status (through
/// <see cref="ApiStatusMapper"/>), an unexpected one becomes INTERNAL quoting the trace id, never the exception's
/// text, and server streams end with UNAVAILABLE when the host stops. Each failure is logged once, here. Calls that
/// came in as REST/JSON (transcoded) pass through here too; their failure is also left for <see cref="RestCalls"/>.
/// </summary>
public sealed partial class ApiCallInterceptor(ApiShutdown shutdown, ILogger<ApiCallInterceptor> logger) : Interceptor
{
    private const string ShuttingDown = "CareTwin is shutting down or restarting; send the request again shortly.";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception exception)
        {
            throw Translate(exception, context);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, shutdown.StreamsEnding);
        try
        {
            await continuation(request, responseStream, new StreamCallContext(context, ending.Token));
        }
        catch (Exception exception)
        {
            throw Translate(exception, context);
        }

        if (shutdown.IsStopping && !context.CancellationToken.IsCancellationRequested)
            throw Translate(new OperationCanceledException(), context);
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, shutdown.StreamsEnding);
        try
        {
            await continuation(requestStream, responseStream, new StreamCallContext(context, ending.Token));
        }
        catch (Exception exception)
        {
            throw Translate(exception, context);
        }
    }

    private RpcException Translate(Exception exception, ServerCallContext context)
    {
        var error = Describe(exception, context);
        // The same failure, field included, for a REST call's problem details (RestCalls); gRPC sends the status.
        RestCalls.RecordFailure(context.GetHttpContext(), error);
        return error.ToException();
    }

    private ApiError Describe(Exception exception, ServerCallContext context)
    {
        if (context.CancellationToken.IsCancellationRequested && exception is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
        {
            // The client went away or its deadline passed; Grpc.AspNetCore has already answered DEADLINE_EXCEEDED or CANCELLED.
            Log.Ended(logger, context.Method, context.Peer);
            return new ApiError(StatusCode.Cancelled, null, "The call was cancelled or its deadline passed.");
        }

        if (exception is OperationCanceledException && CallAdmission.KeyEnding(context) is { } ending)
        {
            // A reload of the keys removed or changed the key this watch was opened with (CallAdmission.AdmitWatchAsync).
            var ended = ApiStatusMapper.KeyEnded(ending);
            Log.Failed(logger, context.Method, context.Peer, ended.Code, ended.Message);
            return ended;
        }

        if (shutdown.IsStopping && exception is OperationCanceledException)
        {
            Log.Failed(logger, context.Method, context.Peer, StatusCode.Unavailable, ShuttingDown);
            return new ApiError(StatusCode.Unavailable, null, ShuttingDown);
        }

        var error = exception is RpcException rpc ? new ApiError(rpc.StatusCode, null, rpc.Status.Detail) : ApiStatusMapper.Describe(exception);
        if (error is not null)
        {
            Log.Failed(logger, context.Method, context.Peer, error.Code, error.Message);
            return error;
        }

        var traceId = CallAdmission.TraceId(context);
        Log.Unexpected(logger, exception, context.Method, traceId);
        return new ApiError(StatusCode.Internal, null, $"An internal error occurred (trace id {traceId}).");
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "gRPC call {Method} from {Peer} ended {Status}: {Detail}")]
        public static partial void Failed(ILogger logger, string method, string peer, StatusCode status, string detail);

        [LoggerMessage(2, LogLevel.Error, "gRPC call {Method} failed unexpectedly (trace id {TraceId}); answered INTERNAL")]
        public static partial void Unexpected(ILogger logger, Exception exception, string method, string traceId);

        [LoggerMessage(3, LogLevel.Debug, "gRPC call {Method} from {Peer} was cancelled by the client or its deadline")]
        public static partial void Ended(ILogger logger, string method, string peer);
    }
}
