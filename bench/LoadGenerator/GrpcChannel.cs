using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;

namespace CareTwin.LoadGenerator;

/// <summary>The failure a call ended with.</summary>
public sealed class GrpcCallException(int status, string message) : Exception($"grpc-status {status}: {message}")
{
    public int Status { get; } = status;
}

/// <summary>
/// gRPC over one HTTP/2 connection per channel (prior knowledge, h2c): length-prefixed messages out, status from
/// the trailers in. Enough for unary and server-streaming calls; a real client library is not needed to load the API.
/// </summary>
public sealed class GrpcChannel(Uri address, string apiKey) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false, EnableMultipleHttp2Connections = true })
    {
        BaseAddress = address,
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public async Task<TReply> UnaryAsync<TReply>(string path, IMessage request, MessageParser<TReply> parser, CancellationToken cancellationToken = default)
        where TReply : IMessage<TReply>
    {
        using var response = await _http.SendAsync(Request(path, request), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        ThrowIfFailed(response);
        return parser.ParseFrom(body.AsSpan(5, BinaryPrimitives.ReadInt32BigEndian(body.AsSpan(1))));
    }

    /// <summary>Reads a server stream until it ends or <paramref name="cancellationToken"/> fires.</summary>
    public async IAsyncEnumerable<TReply> StreamAsync<TReply>(
        string path, IMessage request, MessageParser<TReply> parser, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        where TReply : IMessage<TReply>
    {
        using var response = await _http.SendAsync(Request(path, request), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var prefix = new byte[5];
        while (await body.ReadAtLeastAsync(prefix, 5, throwOnEndOfStream: false, cancellationToken) == 5)
        {
            var payload = new byte[BinaryPrimitives.ReadInt32BigEndian(prefix.AsSpan(1))];
            await body.ReadExactlyAsync(payload, cancellationToken);
            yield return parser.ParseFrom(payload);
        }
        ThrowIfFailed(response);
    }

    public void Dispose() => _http.Dispose();

    private HttpRequestMessage Request(string path, IMessage message)
    {
        var payload = message.ToByteArray();
        var frame = new byte[5 + payload.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1), payload.Length);
        payload.CopyTo(frame.AsSpan(5));
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(frame) { Headers = { ContentType = new MediaTypeHeaderValue("application/grpc") } },
            Headers = { TE = { new TransferCodingWithQualityHeaderValue("trailers") } },
        };
        request.Headers.Add("x-api-key", apiKey);
        return request;
    }

    private static void ThrowIfFailed(HttpResponseMessage response)
    {
        string? Value(string name) =>
            response.TrailingHeaders.TryGetValues(name, out var t) ? t.First() : response.Headers.TryGetValues(name, out var h) ? h.First() : null;
        if (Value("grpc-status") is not { } code)
            throw new GrpcCallException(2, $"No grpc-status (HTTP {(int)response.StatusCode} over HTTP/{response.Version}).");
        var status = int.Parse(code, System.Globalization.CultureInfo.InvariantCulture);
        if (status != 0)
            throw new GrpcCallException(status, Uri.UnescapeDataString(Value("grpc-message") ?? ""));
    }
}
