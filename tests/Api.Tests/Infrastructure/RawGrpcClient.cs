using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using CareTwin.Api.Grpc;
using Google.Protobuf;
using CareTwin.Testing;

namespace CareTwin.Api.Tests.Infrastructure;

/// <summary>
/// A byte-level gRPC client on HttpClient, so tests can send what real clients never would
/// (truncated frames, wrong content types, HTTP/1.1, compressed flags) and see every header and trailer.
/// </summary>
public sealed class RawGrpcClient(HttpClient http) : IDisposable
{
    public const string ContentType = "application/grpc";

    public static HttpRequestMessage Request(string path, byte[] body, string? contentType = ContentType, Version? version = null)
    {
        var content = new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = content,
            Version = version ?? HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Headers = { TE = { new TransferCodingWithQualityHeaderValue("trailers") } },
        };
    }

    public Task<RawGrpcResponse> UnaryAsync(string path, IMessage request, Action<HttpRequestMessage>? configure = null)
    {
        var message = Request(path, GrpcChannel.Frame(request));
        configure?.Invoke(message);
        return SendAsync(message);
    }

    /// <summary>Sends and reads the whole response, trailers included.</summary>
    public async Task<RawGrpcResponse> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken = default)
    {
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return new RawGrpcResponse(response.StatusCode, response.Version, response.Headers, response.Content.Headers, response.TrailingHeaders, body);
    }

    /// <summary>Sends and returns once the headers arrived, to read messages one at a time.</summary>
    public async Task<GrpcResponseStream> OpenStreamAsync(HttpRequestMessage request, CancellationToken cancellationToken = default)
    {
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        return new GrpcResponseStream(response, await response.Content.ReadAsStreamAsync(cancellationToken));
    }

    public void Dispose() => http.Dispose();
}

/// <summary>A complete response as the client saw it.</summary>
public sealed record RawGrpcResponse(
    HttpStatusCode HttpStatus,
    Version HttpVersion,
    HttpResponseHeaders Headers,
    HttpContentHeaders ContentHeaders,
    HttpResponseHeaders Trailers,
    byte[] Body)
{
    public IReadOnlyList<byte[]> Messages => ParseMessages(Body);

    /// <summary>The status from the trailers, or from the headers of a trailers-only response.</summary>
    public StatusCode? Status => Value("grpc-status") is { } code ? (StatusCode)int.Parse(code, System.Globalization.CultureInfo.InvariantCulture) : null;

    /// <summary>grpc-message exactly as sent (percent-encoded).</summary>
    public string? RawMessage => Value("grpc-message");

    public string? Message => RawMessage is null ? null : StatusMessageEncoding.Decode(RawMessage);

    /// <summary>Trailers-only: the status came in the only HEADERS frame, with no body and no trailers.</summary>
    public bool TrailersOnly => Headers.Contains("grpc-status") && !Trailers.Contains("grpc-status") && Body.Length == 0;

    public T Single<T>(MessageParser<T> parser)
        where T : IMessage<T> => parser.ParseFrom(Assert.Single(Messages));

    private string? Value(string name) =>
        Trailers.TryGetValues(name, out var fromTrailers) ? fromTrailers.First()
        : Headers.TryGetValues(name, out var fromHeaders) ? fromHeaders.First()
        : null;

    private static List<byte[]> ParseMessages(byte[] body)
    {
        var messages = new List<byte[]>();
        var rest = body.AsSpan();
        while (rest.Length >= 5)
        {
            Assert.Equal(0, rest[0]);
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(rest[1..]);
            messages.Add(rest.Slice(5, length).ToArray());
            rest = rest[(5 + length)..];
        }

        Assert.True(rest.IsEmpty, "The response body ends inside a message.");
        return messages;
    }
}

/// <summary>A response being received: read messages as they arrive, or dispose to cancel the call.</summary>
public sealed class GrpcResponseStream(HttpResponseMessage response, Stream body) : IDisposable
{
    public HttpResponseMessage Response { get; } = response;

    /// <summary>The next message, or null at the end of the stream.</summary>
    public async Task<byte[]?> ReadMessageAsync(CancellationToken cancellationToken = default)
    {
        var prefix = new byte[5];
        if (!await ReadExactlyOrEndAsync(prefix, cancellationToken))
        {
            return null;
        }

        var payload = new byte[BinaryPrimitives.ReadUInt32BigEndian(prefix.AsSpan(1))];
        await body.ReadExactlyAsync(payload, cancellationToken);
        return payload;
    }

    public void Dispose()
    {
        body.Dispose();
        Response.Dispose();
    }

    private async Task<bool> ReadExactlyOrEndAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        var read = await body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        return read switch
        {
            0 => false,
            _ when read == buffer.Length => true,
            _ => throw new EndOfStreamException("The response ended inside a message prefix."),
        };
    }
}
