using CareTwin.Testing;
using System.Net;
using CareTwin.Api.Grpc;
using CareTwin.Api.Tests.Infrastructure;
using CareTwin.Api.Tests.Probe;
using Google.Protobuf;

namespace CareTwin.Api.Tests;

/// <summary>The adapter's framing and protocol edge cases, in memory (TestServer carries HTTP/2 trailers).</summary>
public sealed class FramingTests : IAsyncLifetime
{
    private const string Echo = "/caretwin.testing.v1.Probe/Echo";

    private GrpcTestHost _host = null!;
    private RawGrpcClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = await GrpcTestHost.StartInMemoryAsync(new Dictionary<string, string?> { ["Grpc:MaxMessageBytes"] = "1024" });
        _client = _host.CreateGrpcClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task A_unary_call_returns_one_message_then_status_trailers()
    {
        var response = await _client.UnaryAsync(Echo, new EchoRequest { Text = "hello", HeaderName = "x-api-key" }, request => request.Headers.Add("x-api-key", "key-123"));

        Assert.Equal(HttpStatusCode.OK, response.HttpStatus);
        Assert.Equal("application/grpc", response.ContentHeaders.ContentType?.MediaType);
        Assert.Equal("identity", Assert.Single(response.Headers.GetValues("grpc-accept-encoding")));
        Assert.Equal(StatusCode.OK, response.Status);
        Assert.True(response.Trailers.Contains("grpc-status"));
        var reply = response.Single(EchoReply.Parser);
        Assert.Equal("hello", reply.Text);
        Assert.Equal("key-123", reply.HeaderValue);
        Assert.False(reply.HasDeadline);
    }

    [Fact]
    public async Task Application_grpc_proto_content_type_is_accepted()
    {
        var response = await _client.SendAsync(RawGrpcClient.Request(Echo, GrpcChannel.Frame(new EchoRequest { Text = "x" }), "application/grpc+proto"));

        Assert.Equal(StatusCode.OK, response.Status);
        Assert.Equal("x", response.Single(EchoReply.Parser).Text);
    }

    [Fact]
    public async Task A_truncated_frame_ends_with_internal_as_trailers_only()
    {
        var payload = new EchoRequest { Text = "truncated" }.ToByteArray();
        var frame = GrpcChannel.Frame(payload)[..^3];

        var response = await _client.SendAsync(RawGrpcClient.Request(Echo, frame));

        Assert.Equal(HttpStatusCode.OK, response.HttpStatus);
        Assert.Equal(StatusCode.Internal, response.Status);
        Assert.True(response.TrailersOnly);
        Assert.Equal($"The request ended inside a message: the prefix announced {payload.Length} bytes, {payload.Length - 3} arrived.", response.Message);
    }

    [Fact]
    public async Task A_truncated_prefix_ends_with_internal()
    {
        var response = await _client.SendAsync(RawGrpcClient.Request(Echo, [0, 0, 0]));

        Assert.Equal(StatusCode.Internal, response.Status);
        Assert.Equal("The request ended inside a message prefix (3 of 5 bytes).", response.Message);
    }

    [Fact]
    public async Task A_request_without_a_message_ends_with_internal()
    {
        var response = await _client.SendAsync(RawGrpcClient.Request(Echo, []));

        Assert.Equal(StatusCode.Internal, response.Status);
        Assert.Equal("The request ended without a message.", response.Message);
    }

    [Fact]
    public async Task A_second_message_on_a_unary_call_ends_with_internal()
    {
        var frame = GrpcChannel.Frame(new EchoRequest { Text = "one" });

        var response = await _client.SendAsync(RawGrpcClient.Request(Echo, [.. frame, .. frame]));

        Assert.Equal(StatusCode.Internal, response.Status);
        Assert.Contains("more than one message", response.Message);
    }

    [Fact]
    public async Task A_message_that_is_not_the_request_type_ends_with_internal()
    {
        var response = await _client.SendAsync(RawGrpcClient.Request(Echo, GrpcChannel.Frame([0xFF, 0xFF, 0xFF])));

        Assert.Equal(StatusCode.Internal, response.Status);
        Assert.Equal("The request message is not a valid caretwin.testing.v1.EchoRequest.", response.Message);
    }

    [Fact]
    public async Task A_message_over_the_configured_limit_ends_with_resource_exhausted()
    {
        // Fail answers with the status it is asked for, so NOT_FOUND proves the message at the limit got through.
        var atLimit = new FailRequest { Code = (int)StatusCode.NotFound, Detail = new string('a', 1024 - 5) }; // 2 bytes code, 3 bytes tag + length
        Assert.Equal(1024, atLimit.CalculateSize());
        var overLimit = new FailRequest { Code = (int)StatusCode.NotFound, Detail = new string('a', 1024 - 4) };

        var accepted = await _client.UnaryAsync("/caretwin.testing.v1.Probe/Fail", atLimit);
        var refused = await _client.UnaryAsync("/caretwin.testing.v1.Probe/Fail", overLimit);

        Assert.Equal(StatusCode.NotFound, accepted.Status);
        Assert.Equal(StatusCode.ResourceExhausted, refused.Status);
        Assert.Equal("The request message is 1025 bytes; the limit is 1024 bytes.", refused.Message);
    }

    [Fact]
    public async Task An_oversize_prefix_is_refused_before_the_payload_arrives()
    {
        // Announces 4 MiB + 1 but sends nothing after the prefix: the limit is checked on the prefix alone.
        var frame = GrpcChannel.Frame([], announcedLength: (4 * 1024 * 1024) + 1);

        var response = await _client.SendAsync(RawGrpcClient.Request(Echo, frame));

        Assert.Equal(StatusCode.ResourceExhausted, response.Status);
        Assert.Equal("The request message is 4194305 bytes; the limit is 1024 bytes.", response.Message);
    }

    [Fact]
    public async Task A_response_over_the_limit_ends_with_resource_exhausted()
    {
        // Echo returns the text plus a header's value, so a request under the limit produces a reply over it.
        var response = await _client.UnaryAsync(
            Echo,
            new EchoRequest { Text = new string('a', 1000), HeaderName = "x-fill" },
            request => request.Headers.Add("x-fill", new string('b', 100)));

        Assert.Equal(StatusCode.ResourceExhausted, response.Status);
        Assert.StartsWith("The response message is ", response.Message);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/grpc+json")]
    [InlineData("text/plain")]
    [InlineData(null)]
    public async Task A_wrong_content_type_is_refused_with_http_415(string? contentType)
    {
        var response = await _client.SendAsync(RawGrpcClient.Request(Echo, GrpcChannel.Frame(new EchoRequest()), contentType));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.HttpStatus);
        Assert.Contains("is not supported; gRPC requests use application/grpc", System.Text.Encoding.UTF8.GetString(response.Body));
    }

    [Fact]
    public async Task An_http_1_1_request_is_refused_with_426_saying_why()
    {
        var response = await _client.SendAsync(RawGrpcClient.Request(Echo, GrpcChannel.Frame(new EchoRequest()), version: HttpVersion.Version11));

        Assert.Equal(HttpStatusCode.UpgradeRequired, response.HttpStatus);
        var text = System.Text.Encoding.UTF8.GetString(response.Body);
        Assert.Contains("gRPC requires HTTP/2, but this request used HTTP/1.1", text);
        Assert.Contains("h2c", text);
    }

    [Fact]
    public async Task A_compressed_message_without_an_encoding_ends_with_internal_saying_compression_is_unsupported()
    {
        var frame = GrpcChannel.Frame(new EchoRequest { Text = "z" }.ToByteArray(), compressedFlag: 1);

        var response = await _client.SendAsync(RawGrpcClient.Request(Echo, frame));

        Assert.Equal(StatusCode.Internal, response.Status);
        Assert.Contains("does not support compression", response.Message);
        Assert.Equal("identity", Assert.Single(response.Headers.GetValues("grpc-accept-encoding")));
    }

    [Fact]
    public async Task An_unsupported_grpc_encoding_ends_with_unimplemented_and_lists_identity()
    {
        var request = RawGrpcClient.Request(Echo, GrpcChannel.Frame(new EchoRequest()));
        request.Headers.Add("grpc-encoding", "gzip");

        var response = await _client.SendAsync(request);

        Assert.Equal(StatusCode.Unimplemented, response.Status);
        Assert.Contains("grpc-encoding 'gzip' is not supported", response.Message);
        Assert.Equal("identity", Assert.Single(response.Headers.GetValues("grpc-accept-encoding")));
    }

    [Theory]
    [InlineData("/caretwin.testing.v1.Probe/NoSuchMethod", "Method 'NoSuchMethod' is not implemented by service 'caretwin.testing.v1.Probe'.")]
    [InlineData("/caretwin.testing.v1.NoSuchService/Echo", "Service 'caretwin.testing.v1.NoSuchService' is not implemented by this server.")]
    public async Task An_unknown_method_or_service_ends_with_unimplemented_as_trailers_only(string path, string message)
    {
        var response = await _client.SendAsync(RawGrpcClient.Request(path, GrpcChannel.Frame(new EchoRequest())));

        Assert.Equal(HttpStatusCode.OK, response.HttpStatus);
        Assert.Equal(StatusCode.Unimplemented, response.Status);
        Assert.Equal(message, response.Message);
        Assert.True(response.TrailersOnly);
    }

    [Fact]
    public async Task A_path_of_another_shape_with_a_web_content_type_is_left_to_the_web()
    {
        var response = await _client.SendAsync(RawGrpcClient.Request("/some/page", [], "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.NotFound, response.HttpStatus);
        Assert.Null(response.Status);
    }

    [Fact]
    public async Task A_non_ascii_status_message_is_percent_encoded_in_grpc_message()
    {
        const string detail = "Café ☕ is 100% closed\nnext line";

        var response = await _client.UnaryAsync("/caretwin.testing.v1.Probe/Fail", new FailRequest { Code = (int)StatusCode.FailedPrecondition, Detail = detail });

        Assert.Equal(StatusCode.FailedPrecondition, response.Status);
        Assert.Equal("Caf%C3%A9 %E2%98%95 is 100%25 closed%0Anext line", response.RawMessage);
        Assert.Equal(detail, response.Message);
    }

    [Fact]
    public async Task An_error_before_any_message_is_sent_as_trailers_only()
    {
        var response = await _client.UnaryAsync("/caretwin.testing.v1.Probe/Fail", new FailRequest { Code = (int)StatusCode.NotFound, Detail = "no such child" });

        Assert.True(response.TrailersOnly);
        Assert.Empty(response.Body);
        Assert.Equal("application/grpc", response.ContentHeaders.ContentType?.MediaType);
        Assert.Equal(StatusCode.NotFound, response.Status);
        Assert.Equal("no such child", response.Message);
    }

    [Fact]
    public async Task An_error_after_streamed_messages_is_sent_in_trailers()
    {
        var response = await _client.UnaryAsync(
            "/caretwin.testing.v1.Probe/Ticks",
            new TicksRequest { Count = 2, FailCode = (int)StatusCode.Aborted, FailDetail = "conflict" });

        Assert.False(response.TrailersOnly);
        Assert.Equal([1, 2], response.Messages.Select(m => Tick.Parser.ParseFrom(m).Number));
        Assert.Equal(StatusCode.Aborted, response.Status);
        Assert.Equal("conflict", response.Message);
        Assert.True(response.Trailers.Contains("grpc-status"));
        Assert.False(response.Headers.Contains("grpc-status"));
    }

    [Fact]
    public async Task An_unexpected_exception_becomes_internal_without_its_text_and_is_logged()
    {
        var response = await _client.UnaryAsync("/caretwin.testing.v1.Probe/Crash", new EchoRequest());

        Assert.Equal(StatusCode.Internal, response.Status);
        Assert.StartsWith("An internal error occurred (trace id ", response.Message);
        Assert.DoesNotContain("hunter2", response.Message);
        Assert.DoesNotContain(nameof(InvalidOperationException), response.Message);
        var logged = Assert.Single(_host.Logs.Entries, e => e.Exception?.Message == ProbeRecorder.SecretText);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Error, logged.Level);
        Assert.Contains("/caretwin.testing.v1.Probe/Crash", logged.Message);
    }

    [Fact]
    public async Task A_malformed_grpc_timeout_ends_with_internal()
    {
        var request = RawGrpcClient.Request(Echo, GrpcChannel.Frame(new EchoRequest()));
        request.Headers.TryAddWithoutValidation("grpc-timeout", "soon");

        var response = await _client.SendAsync(request);

        Assert.Equal(StatusCode.Internal, response.Status);
        Assert.Contains("Malformed grpc-timeout 'soon'", response.Message);
    }
}
