using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using Google.Protobuf;

namespace CareTwin.Testing;

/// <summary>The gRPC status codes (the spec's numbers), so callers need no server-side type.</summary>
public enum GrpcStatusCode
{
    Ok = 0,
    Cancelled = 1,
    Unknown = 2,
    InvalidArgument = 3,
    DeadlineExceeded = 4,
    NotFound = 5,
    AlreadyExists = 6,
    PermissionDenied = 7,
    ResourceExhausted = 8,
    FailedPrecondition = 9,
    Aborted = 10,
    OutOfRange = 11,
    Unimplemented = 12,
    Internal = 13,
    Unavailable = 14,
    DataLoss = 15,
    Unauthenticated = 16,
}

/// <summary>A call that did not end OK: the status from the trailers, or UNAVAILABLE when the connection failed.</summary>
public sealed class GrpcCallException(GrpcStatusCode status, string detail, Exception? inner = null)
    : Exception($"{status}: {detail}", inner)
{
    public GrpcStatusCode Status { get; } = status;

    /// <summary>grpc-message, percent-decoded.</summary>
    public string Detail { get; } = detail;
}

/// <summary>
/// An independent gRPC client for a separately running host: HttpClient over HTTP/2 with prior knowledge (h2c),
/// its own length-prefixed framing, the key in x-api-key, and the status from grpc-status/grpc-message trailers
/// (or the headers of a trailers-only response). Unary and server-streaming calls; messages are any protobuf type,
/// so this knows nothing of the server's code.
/// </summary>
/// <param name="headers">Sent with every call besides the key (e.g. a web session's cookie, which gRPC must ignore).</param>
public sealed class RawGrpcChannel(Uri address, string? apiKey, IReadOnlyDictionary<string, string>? headers = null) : IDisposable
{
    private const int PrefixLength = 5;

    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false, EnableMultipleHttp2Connections = true })
    {
        BaseAddress = address,
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <param name="path">/package.Service/Method</param>
    public async Task<TReply> UnaryAsync<TReply>(string path, IMessage request, MessageParser<TReply> parser, CancellationToken cancellationToken = default)
        where TReply : IMessage<TReply>
    {
        var (body, response) = await Transport(async () =>
        {
            var response = await _http.SendAsync(Request(path, request), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            try
            {
                return (await response.Content.ReadAsByteArrayAsync(cancellationToken), response);
            }
            catch
            {
                response.Dispose();
                throw;
            }
        });
        using (response)
        {
            ThrowIfFailed(response);
            if (body.Length < PrefixLength || body[0] != 0 || BinaryPrimitives.ReadInt32BigEndian(body.AsSpan(1)) != body.Length - PrefixLength)
                throw new GrpcCallException(GrpcStatusCode.Internal, $"{path} ended OK without exactly one uncompressed message ({body.Length} bytes).");
            return parser.ParseFrom(body.AsSpan(PrefixLength));
        }
    }

    /// <summary>Reads a server stream until it ends (then checks its status) or <paramref name="cancellationToken"/> fires.</summary>
    public async IAsyncEnumerable<TReply> StreamAsync<TReply>(
        string path, IMessage request, MessageParser<TReply> parser, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where TReply : IMessage<TReply>
    {
        using var response = await Transport(() => _http.SendAsync(Request(path, request), HttpCompletionOption.ResponseHeadersRead, cancellationToken));
        await using var body = await Transport(() => response.Content.ReadAsStreamAsync(cancellationToken));
        var prefix = new byte[PrefixLength];
        while (await Transport(() => body.ReadAtLeastAsync(prefix, PrefixLength, throwOnEndOfStream: false, cancellationToken).AsTask()) is var read && read > 0)
        {
            if (read < PrefixLength || prefix[0] != 0)
                throw new GrpcCallException(GrpcStatusCode.Internal, $"{path}: a message prefix was cut short or announced compression.");
            var payload = new byte[BinaryPrimitives.ReadInt32BigEndian(prefix.AsSpan(1))];
            await Transport(() => body.ReadExactlyAsync(payload, cancellationToken).AsTask());
            yield return parser.ParseFrom(payload);
        }
        ThrowIfFailed(response);
    }

    /// <summary>
    /// Sends <paramref name="body"/> exactly as given (any framing, however broken) to a unary method and returns
    /// how the call ended, for tests of what a hostile client can send.
    /// </summary>
    public async Task<(GrpcStatusCode Status, string Detail)> SendRawAsync(string path, byte[] body, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await Transport(() => _http.SendAsync(Request(path, body), cancellationToken));
            ThrowIfFailed(response);
            return (GrpcStatusCode.Ok, "");
        }
        catch (GrpcCallException failed)
        {
            return (failed.Status, failed.Detail);
        }
    }

    /// <summary>
    /// A message with its 5-byte prefix; <paramref name="compressedFlag"/> and <paramref name="announcedLength"/>
    /// let a test send what real clients never would (a compressed flag, a length that lies).
    /// </summary>
    public static byte[] Frame(ReadOnlySpan<byte> payload, byte compressedFlag = 0, uint? announcedLength = null)
    {
        var frame = new byte[PrefixLength + payload.Length];
        frame[0] = compressedFlag;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), announcedLength ?? (uint)payload.Length);
        payload.CopyTo(frame.AsSpan(PrefixLength));
        return frame;
    }

    public void Dispose() => _http.Dispose();

    public static byte[] Frame(IMessage message) => Frame(message.ToByteArray());

    private HttpRequestMessage Request(string path, IMessage message) => Request(path, Frame(message));

    private HttpRequestMessage Request(string path, byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/grpc") } },
            Headers = { TE = { new TransferCodingWithQualityHeaderValue("trailers") } },
        };
        if (apiKey is not null)
            request.Headers.Add("x-api-key", apiKey);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            request.Headers.Add(name, value);
        return request;
    }

    /// <summary>A refused, reset or cut connection is UNAVAILABLE, as gRPC libraries report it; the caller's cancellation stays a cancellation.</summary>
    private static async Task<T> Transport<T>(Func<Task<T>> step)
    {
        try
        {
            return await step();
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            throw new GrpcCallException(GrpcStatusCode.Unavailable, ex.Message, ex);
        }
    }

    private static async Task Transport(Func<Task> step) => await Transport(async () =>
    {
        await step();
        return true;
    });

    private static void ThrowIfFailed(HttpResponseMessage response)
    {
        string? Value(string name) =>
            response.TrailingHeaders.TryGetValues(name, out var t) ? t.First() : response.Headers.TryGetValues(name, out var h) ? h.First() : null;
        if (Value("grpc-status") is not { } code)
            throw new GrpcCallException(GrpcStatusCode.Unknown, $"No grpc-status (HTTP {(int)response.StatusCode} over HTTP/{response.Version}).");
        var status = (GrpcStatusCode)int.Parse(code, CultureInfo.InvariantCulture);
        if (status != GrpcStatusCode.Ok)
            throw new GrpcCallException(status, Uri.UnescapeDataString(Value("grpc-message") ?? ""));
    }
}
