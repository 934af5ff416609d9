using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CareTwin.Api.Grpc;

/// <summary>
/// Runs one gRPC request end to end: refuses what is not gRPC over HTTP/2, applies the
/// deadline, runs the handler and turns its outcome into the status trailers.
/// </summary>
internal sealed class GrpcCallProcessor(
    GrpcMethodRegistry registry,
    GrpcServerLifetime lifetime,
    IEnumerable<IRpcExceptionMapper> exceptionMappers,
    IOptions<GrpcOptions> options,
    TimeProvider time,
    ILogger<GrpcCallProcessor> logger)
{
    private static readonly Status ShuttingDown = new(StatusCode.Unavailable, "The server is shutting down.");
    private static readonly Status DeadlineExceeded = new(StatusCode.DeadlineExceeded, "Deadline exceeded.");

    private readonly IRpcExceptionMapper[] _mappers = [.. exceptionMappers];
    private readonly GrpcOptions _options = options.Value;

    /// <param name="method">The bound method, or null for a path no service binds (UNIMPLEMENTED).</param>
    public async Task ProcessAsync(HttpContext http, GrpcMethod? method)
    {
        var request = http.Request;
        if (!HttpProtocol.IsHttp2(request.Protocol) && !HttpProtocol.IsHttp3(request.Protocol))
        {
            await RefuseHttp1Async(http);
            return;
        }

        if (!GrpcProtocol.IsGrpcContentType(request.ContentType))
        {
            await RefuseAsync(
                http,
                StatusCodes.Status415UnsupportedMediaType,
                $"Content-Type '{request.ContentType}' is not supported; gRPC requests use application/grpc or application/grpc+proto.");
            return;
        }

        // Messages are limited one by one (MaxMessageBytes), and streams can be long-lived.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = null;
        }

        using var response = new GrpcCallResponse(http, _options.MaxMessageBytes);
        var path = method?.Path ?? request.Path.Value ?? "";
        if (IsRefused(request, method, path, out var refused))
        {
            GrpcLog.CallRefused(logger, path, refused.Code, refused.Detail);
            await response.CompleteAsync(refused);
            return;
        }

        using var call = new GrpcCall(http, method, response, ReadTimeout(request), lifetime.CallsCancelled, time, _options.MaxMessageBytes);
        var work = method.InvokeAsync(call);
        if (call.HasDeadlineTimer && await Task.WhenAny(work, call.DeadlineReached) != work)
        {
            // Tell the client now; the handler's token is cancelled and this request waits for it to finish.
            GrpcLog.DeadlineExceeded(logger, path);
            await response.CompleteAsync(DeadlineExceeded);
        }

        Status status;
        try
        {
            await work;
            status = Status.Ok;
        }
        catch (Exception exception)
        {
            status = ToStatus(exception, call, path, http.TraceIdentifier);
        }

        await response.CompleteAsync(status);
    }

    /// <summary>Calls that end before their handler runs; false guarantees a method to run.</summary>
    private bool IsRefused(HttpRequest request, [NotNullWhen(false)] GrpcMethod? method, string path, out Status refused)
    {
        refused = lifetime.IsStopping ? ShuttingDown : method is null ? Unimplemented(path) : CheckCallHeaders(request);
        return method is null || refused.Code != StatusCode.OK;
    }

    private static Status CheckCallHeaders(HttpRequest request)
    {
        var encoding = request.Headers[GrpcProtocol.EncodingHeader].ToString();
        if (!GrpcProtocol.IsSupportedEncoding(encoding))
        {
            // The spec's answer to an unknown message encoding; grpc-accept-encoding lists what we accept.
            return new Status(StatusCode.Unimplemented, $"grpc-encoding '{encoding}' is not supported; this server accepts identity (uncompressed) messages only.");
        }

        var timeout = request.Headers[GrpcTimeout.HeaderName].ToString();
        if (timeout.Length > 0 && !GrpcTimeout.TryParse(timeout, out _))
        {
            return new Status(StatusCode.Internal, $"Malformed grpc-timeout '{timeout}'; expected 1-8 digits and a unit (H, M, S, m, u, n).");
        }

        return Status.Ok;
    }

    private static TimeSpan? ReadTimeout(HttpRequest request) =>
        GrpcTimeout.TryParse(request.Headers[GrpcTimeout.HeaderName].ToString(), out var timeout) ? timeout : null;

    private Status Unimplemented(string path)
    {
        var parts = path.TrimStart('/').Split('/', 2);
        return parts.Length == 2 && registry.HasService(parts[0])
            ? new Status(StatusCode.Unimplemented, $"Method '{parts[1]}' is not implemented by service '{parts[0]}'.")
            : new Status(StatusCode.Unimplemented, $"Service '{parts[0]}' is not implemented by this server.");
    }

    private Status ToStatus(Exception exception, GrpcCall call, string path, string traceIdentifier)
    {
        if (call.DeadlineExpired)
        {
            return DeadlineExceeded;
        }

        if (call.ClientCancelled)
        {
            GrpcLog.ClientCancelled(logger, path);
            return new Status(StatusCode.Cancelled, "The client cancelled the call.");
        }

        if (exception is RpcException rpc)
        {
            GrpcLog.CallFailed(logger, path, rpc.StatusCode, rpc.Status.Detail);
            return rpc.Status;
        }

        if (lifetime.IsStopping && exception is OperationCanceledException)
        {
            return ShuttingDown;
        }

        foreach (var mapper in _mappers)
        {
            if (mapper.TryMap(exception, out var mapped))
            {
                GrpcLog.CallFailed(logger, path, mapped.Code, mapped.Detail);
                return mapped;
            }
        }

        // Never the exception's text: it may hold internals. The trace id lets an operator find the log entry.
        GrpcLog.HandlerFailed(logger, exception, path, traceIdentifier);
        return new Status(StatusCode.Internal, $"An internal error occurred (trace id {traceIdentifier}).");
    }

    private async Task RefuseHttp1Async(HttpContext http)
    {
        var how = _options.UsesTls
            ? "connect with HTTP/2 over TLS (ALPN h2)"
            : _options.Port == 0
                ? "connect to the gRPC port with HTTP/2 without TLS (h2c, prior knowledge)"
                : $"connect to port {_options.Port} with HTTP/2 without TLS (h2c, prior knowledge)";

        // 426 names the protocol the client must switch to.
        http.Response.Headers.Upgrade = "HTTP/2.0";
        await RefuseAsync(http, StatusCodes.Status426UpgradeRequired, $"gRPC requires HTTP/2, but this request used {http.Request.Protocol}; {how}.");
    }

    private async Task RefuseAsync(HttpContext http, int httpStatus, string message)
    {
        GrpcLog.RequestRefused(logger, http.Request.Path.Value ?? "", httpStatus, message);
        var response = http.Response;
        response.StatusCode = httpStatus;
        response.Headers[GrpcProtocol.StatusHeader] = ((int)StatusCode.Internal).ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers[GrpcProtocol.MessageHeader] = StatusMessageEncoding.Encode(message);
        response.ContentType = "text/plain; charset=utf-8";
        await response.WriteAsync(message + "\n", http.RequestAborted);
    }
}
