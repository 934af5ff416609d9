using System.Text.Encodings.Web;
using System.Text.Json;
using CareTwin.Api.Authentication;
using CareTwin.Api.Errors;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace CareTwin.Api.Rest;

/// <summary>
/// The REST/JSON face of the caretwin.v1 services (gRPC JSON transcoding of their <c>google.api.http</c> routes):
/// the one place that makes a REST call's failure an RFC 9457 problem (<c>application/problem+json</c>) with the
/// HTTP status transcoding maps the gRPC status to, the status message as <c>detail</c>, the gRPC status name as
/// <c>grpcStatus</c> and, when a request field is at fault, that <c>field</c>. A body is read against the request
/// message first (<see cref="JsonBodyCheck"/>), so bad JSON is refused before anything runs. Applied to the
/// transcoded endpoints only; gRPC calls are untouched.
/// </summary>
public static class RestCalls
{
    public const string ProblemContentType = "application/problem+json; charset=utf-8";

    /// <summary>Wraps each transcoded endpoint of a mapped gRPC service.</summary>
    public static TBuilder WithRestProblems<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            if (endpoint.Metadata.OfType<GrpcJsonTranscodingMetadata>().FirstOrDefault() is not { } rest || endpoint.RequestDelegate is not { } transcode)
                return;
            var body = BodyMessage(rest);
            endpoint.RequestDelegate = http => InvokeAsync(http, transcode, body);
        });
        return builder;
    }

    /// <summary>Whether the call came in as REST/JSON (a transcoded route) rather than gRPC.</summary>
    public static bool IsRest(HttpContext http) => http.GetEndpoint()?.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>() is not null;

    /// <summary>What a call ended with, for the REST answer; the gRPC status itself carries no field.</summary>
    public static void RecordFailure(HttpContext http, ApiError error) => http.Features.Set(error);

    private static async Task InvokeAsync(HttpContext http, RequestDelegate transcode, MessageDescriptor? body)
    {
        if (body is not null && await ReadBodyAsync(http, body) is { } refused)
        {
            if (refused.Error is not null)
                await WriteProblemAsync(http, refused.Status, refused.Error);
            return;
        }

        var response = http.Response;
        var original = response.Body;
        var capture = new ErrorCapture(response, original);
        response.Body = capture;
        try
        {
            await transcode(http);
            // Anything transcoding left in the response's pipe goes out before the pipe is put back.
            await response.BodyWriter.FlushAsync(CancellationToken.None);
        }
        finally
        {
            response.Body = original;
        }

        // Transcoding answered an error before anything else was sent: the status it chose stays, the body becomes a problem.
        if (capture.Captured is { } status)
            await WriteProblemAsync(http, response.StatusCode, http.Features.Get<ApiError>() ?? FromTranscodingStatus(status));
    }

    /// <summary>Why a body is not passed on: the HTTP status and the error, or no error when the client went away.</summary>
    private sealed record BodyRefused(int Status, ApiError? Error);

    /// <summary>
    /// Reads the body (up to the message size limit), checks it, and leaves it for transcoding to read again; or
    /// says why it is refused.
    /// </summary>
    private static async Task<BodyRefused?> ReadBodyAsync(HttpContext http, MessageDescriptor message)
    {
        var request = http.Request;
        if (!IsUtf8Json(request.ContentType))
        {
            var problem = request.ContentType is null
                ? "The request has no Content-Type; send the body as JSON with 'Content-Type: application/json'."
                : $"The body must be JSON ('Content-Type: application/json', UTF-8), not '{request.ContentType}'.";
            return new BodyRefused(StatusCodes.Status400BadRequest, new ApiError(StatusCode.InvalidArgument, null, problem));
        }

        var limit = http.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.MaxMessageBytes;
        var tooLarge = new BodyRefused(StatusCodes.Status413PayloadTooLarge, new ApiError(StatusCode.ResourceExhausted, null,
            $"The body is larger than {limit} bytes, the most a request may carry; split an Ingest batch into smaller ones."));
        if (request.ContentLength > limit)
            return tooLarge;
        var buffer = new MemoryStream();
        try
        {
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
            {
                if (buffer.Length + read > limit)
                    return tooLarge;
                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException unreadable)
        {
            return new BodyRefused(StatusCodes.Status400BadRequest, new ApiError(StatusCode.InvalidArgument, null, $"The body could not be read: {unreadable.Message}"));
        }
        catch (Exception gone) when (gone is IOException or OperationCanceledException && http.RequestAborted.IsCancellationRequested)
        {
            return new BodyRefused(0, null);
        }

        var bytes = new ReadOnlyMemory<byte>(buffer.GetBuffer(), 0, (int)buffer.Length);
        var pathValues = request.RouteValues.Where(v => v.Value is string).ToDictionary(v => v.Key, v => (string)v.Value!, StringComparer.Ordinal);
        if (JsonBodyCheck.Check(bytes, message, pathValues) is { } invalid)
            return new BodyRefused(StatusCodes.Status400BadRequest, invalid);
        request.Body = new MemoryStream(buffer.GetBuffer(), 0, (int)buffer.Length, writable: false);
        return null;
    }

    private static bool IsUtf8Json(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase))
        && (!media.Charset.HasValue || media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));

    /// <summary>The message a route's body is read into: the request itself for <c>body: "*"</c>; none without a body.</summary>
    private static MessageDescriptor? BodyMessage(GrpcJsonTranscodingMetadata rest) => rest.HttpRule.Body switch
    {
        "" => null,
        "*" => rest.MethodDescriptor.InputType,
        var field => rest.MethodDescriptor.InputType.FindFieldByName(field) is { FieldType: FieldType.Message, IsRepeated: false } bodyField ? bodyField.MessageType : null,
    };

    /// <summary>Transcoding's own error body (google.rpc.Status as JSON), for failures before CareTwin's handlers run.</summary>
    private static ApiError FromTranscodingStatus(byte[] status)
    {
        try
        {
            using var json = JsonDocument.Parse(status);
            var code = json.RootElement.TryGetProperty("code", out var c) && c.TryGetInt32(out var n) ? (StatusCode)n : StatusCode.Unknown;
            var message = json.RootElement.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "";
            return new ApiError(code, null, message);
        }
        catch (JsonException)
        {
            return new ApiError(StatusCode.Unknown, null, "The call failed.");
        }
    }

    private static async Task WriteProblemAsync(HttpContext http, int status, ApiError error)
    {
        var response = http.Response;
        response.StatusCode = status;
        response.ContentType = ProblemContentType;
        response.ContentLength = null;
        // Read by systems and people at a terminal, never rendered as HTML (and sent with nosniff): quotes stay quotes.
        await using var json = new Utf8JsonWriter(response.Body, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        json.WriteString("type", "about:blank");
        json.WriteString("title", ReasonPhrases.GetReasonPhrase(status));
        json.WriteNumber("status", status);
        json.WriteString("detail", error.Message);
        json.WriteString("instance", http.Request.Path);
        json.WriteString("grpcStatus", StatusName(error.Code));
        if (error.Field is not null)
            json.WriteString("field", error.Field);
        json.WriteEndObject();
        await json.FlushAsync(CancellationToken.None);
    }

    /// <summary>The status as gRPC names it: INVALID_ARGUMENT, NOT_FOUND.</summary>
    public static string StatusName(StatusCode code)
    {
        var name = code.ToString();
        var upper = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]) && char.IsLower(name[i - 1]))
                upper.Append('_');
            upper.Append(char.ToUpperInvariant(name[i]));
        }
        return upper.ToString();
    }

    /// <summary>
    /// The response body while transcoding runs: passes everything through, unless the first write comes with an
    /// error status before the response started; then it keeps that error body back for the problem to replace.
    /// </summary>
    private sealed class ErrorCapture(HttpResponse response, Stream inner) : Stream
    {
        private MemoryStream? _error;
        private bool _decided;

        public byte[]? Captured => _error?.ToArray();

        private bool Capturing()
        {
            if (!_decided)
            {
                _decided = true;
                if (response.StatusCode >= StatusCodes.Status400BadRequest && !response.HasStarted)
                    _error = new MemoryStream();
            }
            return _error is not null;
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (Capturing())
                _error!.Write(buffer, offset, count);
            else
                inner.Write(buffer, offset, count);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!Capturing())
                return inner.WriteAsync(buffer, cancellationToken);
            _error!.Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override void Flush()
        {
            if (!Capturing())
                inner.Flush();
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Capturing() ? Task.CompletedTask : inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
