using Microsoft.AspNetCore.Http;

namespace CareTwin.Api.Grpc;

/// <summary>What a handler knows about its call besides the request message.</summary>
/// <remarks>Public constructor so handlers can be unit-tested without HTTP.</remarks>
public sealed class ServerCallContext(
    string method,
    string peer,
    DateTimeOffset? deadline,
    IHeaderDictionary requestHeaders,
    IServiceProvider services,
    string traceIdentifier,
    CancellationToken cancellationToken)
{
    /// <summary>The full method path, e.g. <c>/grpc.health.v1.Health/Check</c>.</summary>
    public string Method { get; } = method;

    /// <summary>The client's address in gRPC's form, e.g. <c>ipv4:127.0.0.1:50123</c>.</summary>
    public string Peer { get; } = peer;

    /// <summary>When the client stops waiting (from <c>grpc-timeout</c>); null when it sent none.</summary>
    public DateTimeOffset? Deadline { get; } = deadline;

    /// <summary>The request headers (gRPC metadata); names are case-insensitive, <c>-bin</c> values stay base64.</summary>
    public IHeaderDictionary RequestHeaders { get; } = requestHeaders;

    /// <summary>The call's scoped services.</summary>
    public IServiceProvider Services { get; } = services;

    /// <summary>Correlates the server log with the client: INTERNAL errors quote it.</summary>
    public string TraceIdentifier { get; } = traceIdentifier;

    /// <summary>Cancelled when the deadline passes, the client cancels (RST_STREAM) or the host shuts down.</summary>
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>The first value of a request header, or null when absent.</summary>
    public string? GetRequestHeader(string name) =>
        RequestHeaders.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;
}
