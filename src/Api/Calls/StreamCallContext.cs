using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace CareTwin.Api.Calls;

/// <summary>
/// A server stream's call context whose cancellation also fires when the host starts stopping, so a watch ends
/// promptly instead of holding shutdown open until Kestrel gives up on it. Everything else is the call's own.
/// </summary>
internal sealed class StreamCallContext(ServerCallContext call, CancellationToken cancellation) : ServerCallContext
{
    /// <summary>Where Grpc.AspNetCore looks for the HttpContext of a call context it did not make.</summary>
    private const string HttpContextKey = "__HttpContext";

    private readonly Dictionary<object, object> _userState = new(call.UserState) { [HttpContextKey] = call.GetHttpContext() };

    protected override string MethodCore => call.Method;
    protected override string HostCore => call.Host;
    protected override string PeerCore => call.Peer;
    protected override DateTime DeadlineCore => call.Deadline;
    protected override Metadata RequestHeadersCore => call.RequestHeaders;
    protected override CancellationToken CancellationTokenCore => cancellation;
    protected override Metadata ResponseTrailersCore => call.ResponseTrailers;
    protected override AuthContext AuthContextCore => call.AuthContext;
    protected override IDictionary<object, object> UserStateCore => _userState;

    protected override Status StatusCore
    {
        get => call.Status;
        set => call.Status = value;
    }

    protected override WriteOptions? WriteOptionsCore
    {
        get => call.WriteOptions;
        set => call.WriteOptions = value;
    }

    protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => call.CreatePropagationToken(options);

    protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => call.WriteResponseHeadersAsync(responseHeaders);
}
