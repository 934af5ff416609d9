using Microsoft.Extensions.Logging;

namespace CareTwin.Api.Grpc;

/// <summary>The adapter's log events (source-generated: no formatting cost when disabled).</summary>
internal static partial class GrpcLog
{
    [LoggerMessage(1, LogLevel.Error, "gRPC handler for {Method} failed (trace id {TraceIdentifier}); the client receives INTERNAL")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string method, string traceIdentifier);

    [LoggerMessage(2, LogLevel.Debug, "gRPC call {Method} ended with {StatusCode}: {Detail}")]
    public static partial void CallFailed(ILogger logger, string method, StatusCode statusCode, string detail);

    [LoggerMessage(3, LogLevel.Debug, "gRPC call {Method} refused with {StatusCode}: {Detail}")]
    public static partial void CallRefused(ILogger logger, string method, StatusCode statusCode, string detail);

    [LoggerMessage(4, LogLevel.Information, "gRPC request {Path} refused with HTTP {HttpStatus}: {Reason}")]
    public static partial void RequestRefused(ILogger logger, string path, int httpStatus, string reason);

    [LoggerMessage(5, LogLevel.Debug, "gRPC call {Method} exceeded its deadline")]
    public static partial void DeadlineExceeded(ILogger logger, string method);

    [LoggerMessage(6, LogLevel.Debug, "gRPC call {Method} was cancelled by the client")]
    public static partial void ClientCancelled(ILogger logger, string method);

    [LoggerMessage(7, LogLevel.Error, "A gRPC stopping callback failed")]
    public static partial void StoppingCallbackFailed(ILogger logger, Exception exception);
}
