using Google.Protobuf;
using Microsoft.AspNetCore.Http;

namespace CareTwin.Api.Grpc;

/// <summary>
/// One call in progress: its cancellation (deadline, client reset, host shutdown), its context
/// for the handler, and its response.
/// </summary>
internal sealed class GrpcCall : IDisposable
{
    // CancellationTokenSource timers accept at most uint.MaxValue - 1 ms (about 49 days); a longer
    // deadline is still reported to the handler but no timer is armed for it.
    private static readonly TimeSpan LongestTimer = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly HttpContext _http;
    private readonly int _maxMessageBytes;
    private readonly CancellationTokenSource? _deadline;
    private readonly CancellationTokenRegistration _deadlineRegistration;
    private readonly TaskCompletionSource _deadlineReached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _cancellation;

    public GrpcCall(
        HttpContext http,
        GrpcMethod method,
        GrpcCallResponse response,
        TimeSpan? timeout,
        CancellationToken shutdown,
        TimeProvider time,
        int maxMessageBytes)
    {
        _http = http;
        _maxMessageBytes = maxMessageBytes;
        Response = response;

        DateTimeOffset? deadline = null;
        if (timeout is { } after)
        {
            var now = time.GetUtcNow();
            deadline = after < DateTimeOffset.MaxValue - now ? now + after : DateTimeOffset.MaxValue;
            if (after <= LongestTimer)
            {
                _deadline = new CancellationTokenSource(after, time);
                _deadlineRegistration = _deadline.Token.Register(() => _deadlineReached.TrySetResult());
            }
        }

        _cancellation = _deadline is null
            ? CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, shutdown)
            : CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, shutdown, _deadline.Token);

        Context = new ServerCallContext(
            method.Path,
            FormatPeer(http.Connection),
            deadline,
            http.Request.Headers,
            http.RequestServices,
            http.TraceIdentifier,
            _cancellation.Token);
    }

    public ServerCallContext Context { get; }

    public GrpcCallResponse Response { get; }

    public bool HasDeadlineTimer => _deadline is not null;

    /// <summary>Completes when the deadline passes.</summary>
    public Task DeadlineReached => _deadlineReached.Task;

    public bool DeadlineExpired => _deadline?.IsCancellationRequested == true;

    public bool ClientCancelled => _http.RequestAborted.IsCancellationRequested;

    public Task<T> ReadRequestAsync<T>(MessageParser<T> parser, string messageTypeName)
        where T : IMessage<T> =>
        GrpcMessageReader.ReadSingleAsync(_http.Request.BodyReader, parser, messageTypeName, _maxMessageBytes, Context.CancellationToken);

    public void Dispose()
    {
        _deadlineRegistration.Dispose();
        _cancellation.Dispose();
        _deadline?.Dispose();
    }

    /// <summary>gRPC's peer form: ipv4:1.2.3.4:port or ipv6:[::1]:port.</summary>
    private static string FormatPeer(ConnectionInfo connection) => connection.RemoteIpAddress switch
    {
        null => "unknown",
        { IsIPv4MappedToIPv6: true } mapped => $"ipv4:{mapped.MapToIPv4()}:{connection.RemotePort}",
        { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 } ip => $"ipv6:[{ip}]:{connection.RemotePort}",
        var ip => $"ipv4:{ip}:{connection.RemotePort}",
    };
}
