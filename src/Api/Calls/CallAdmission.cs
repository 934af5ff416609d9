using CareTwin.Api.Authentication;
using CareTwin.Api.Errors;
using CareTwin.Api.Rest;
using CareTwin.Grains.Access;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace CareTwin.Api.Calls;

/// <summary>
/// The door every CareTwin call goes through before its handler does anything, gRPC and REST/JSON alike: the API key
/// (x-api-key, or authorization: Bearer), then the rate limit. A call without a valid key is refused with UNAUTHENTICATED and
/// the refusal is audited through the access gate, which counts unidentified callers per address and window
/// (UnauthenticatedAttempts) rather than writing an entry per record named.
/// </summary>
public sealed partial class CallAdmission(ApiKeyRegistry keys, CallRateLimiter limiter, AccessGate gate, ILogger<CallAdmission> logger)
{
    public const string KeyHeader = "x-api-key";
    public const string AuthorizationHeader = "authorization";
    public const string Channel = "grpc";
    /// <summary>The audit channel of a call that came in as REST/JSON (a transcoded route).</summary>
    public const string RestChannel = "rest";

    private static readonly Caller Anonymous = Caller.Unauthenticated("Caller without a valid API key");

    /// <summary>Authenticates and takes one rate-limit token.</summary>
    /// <param name="subjects">The audit subjects the request names ("child/c-1"), for auditing a refusal.</param>
    public async Task<ExternalCall> AdmitAsync(ServerCallContext context, AccessAction action, params IEnumerable<string> subjects)
    {
        var (call, _) = await AuthenticateKeyAsync(context, action, subjects);
        limiter.TakeForKey(call.Caller.Id, 1);
        return call;
    }

    /// <summary>
    /// As <see cref="AdmitAsync"/>, for a call that stays open (a watch): its cancellation also fires when a reload of
    /// the keys removes its key (the call then ends UNAUTHENTICATED) or changes what the key may do (UNAVAILABLE:
    /// open it again), so nothing keeps flowing to a key that has been revoked.
    /// </summary>
    public async Task<ExternalCall> AdmitWatchAsync(ServerCallContext context, AccessAction action, params IEnumerable<string> subjects)
    {
        var (call, grant) = await AuthenticateKeyAsync(context, action, subjects);
        limiter.TakeForKey(call.Caller.Id, 1);
        var http = context.GetHttpContext();
        var ending = CancellationTokenSource.CreateLinkedTokenSource(call.Cancellation, grant.Lifetime.Ended);
        // Disposed when the call's response is done, which unregisters it from the key's lifetime.
        http.Response.RegisterForDispose(ending);
        http.Features.Set(grant.Lifetime);
        return call with { Cancellation = ending.Token };
    }

    /// <summary>Why the key of a watch that was cancelled has ended, if it has: the watch then ends with that, not CANCELLED.</summary>
    public static ApiKeyEnding? KeyEnding(ServerCallContext context) =>
        context.GetHttpContext().Features.Get<ApiKeyLifetime>() is { Ended.IsCancellationRequested: true, Ending: { } ending } ? ending : null;

    /// <summary>Authenticates only; the caller then takes what the call costs with <see cref="CallRateLimiter.TakeForKey"/>.</summary>
    public async Task<ExternalCall> AuthenticateAsync(ServerCallContext context, AccessAction action, IEnumerable<string> subjects) =>
        (await AuthenticateKeyAsync(context, action, subjects)).Call;

    private async Task<(ExternalCall Call, ApiKeyGrant Grant)> AuthenticateKeyAsync(ServerCallContext context, AccessAction action, IEnumerable<string> subjects)
    {
        var channel = new AccessChannel(RestCalls.IsRest(context.GetHttpContext()) ? RestChannel : Channel, context.Peer);
        var presented = PresentedKey(context, out var problem);
        if (presented is not null && keys.TryFind(presented, out var grant))
        {
            // Once per key as it comes into force: during a rotation this is how an operator sees the system switch keys.
            if (grant.Lifetime.FirstUse())
                Log.FirstUse(logger, grant.KeyId, grant.Slot, grant.Caller.Id);
            return (new ExternalCall(grant.Caller, channel, context.Peer, TraceId(context), context.CancellationToken), grant);
        }

        limiter.TakeForAddress(context.Peer);
        problem ??= presented is null
            ? $"No API key: send it in the '{KeyHeader}' metadata header (or '{AuthorizationHeader}: Bearer <key>')."
            : "The API key is not one CareTwin knows (revoked, mistyped, or for another installation).";
        Log.Refused(logger, context.Method, context.Peer, problem);
        var denial = AccessDecision.Deny($"Unauthenticated: {problem}");
        foreach (var subject in subjects.Distinct(StringComparer.Ordinal))
            await gate.RecordAsync(Anonymous, subject, action, context.Method, denial, channel).WaitAsync(context.CancellationToken);
        throw ApiStatusMapper.Unauthenticated(problem);
    }

    public static string ChildSubject(string childId) => "child/" + childId;

    /// <summary>The id the host logs the call's request under, which an INTERNAL answer quotes.</summary>
    public static string TraceId(ServerCallContext context) => context.GetHttpContext().TraceIdentifier;

    private static string? PresentedKey(ServerCallContext context, out string? problem)
    {
        problem = null;
        var key = context.RequestHeaders.GetValue(KeyHeader);
        var authorization = context.RequestHeaders.GetValue(AuthorizationHeader);
        string? bearer = null;
        if (authorization is not null)
        {
            const string scheme = "Bearer ";
            if (!authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                problem = $"The '{AuthorizationHeader}' header must be 'Bearer <key>'.";
                return null;
            }
            bearer = authorization[scheme.Length..].Trim();
        }

        if (key is not null && bearer is not null && key != bearer)
        {
            problem = $"The '{KeyHeader}' and '{AuthorizationHeader}' headers carry different keys; send one.";
            return null;
        }
        return key ?? bearer;
    }

    private static partial class Log
    {
        // The peer and method only: a presented key is never logged, not even a wrong one.
        [LoggerMessage(1, LogLevel.Information, "gRPC call {Method} from {Peer} refused: {Problem}")]
        public static partial void Refused(ILogger logger, string method, string peer, string problem);

        // The key's fingerprint only (ApiKey.Fingerprint), never the key.
        [LoggerMessage(2, LogLevel.Information, "API key {KeyId} ({Slot}) of {System} used, the first call with it since it came into force")]
        public static partial void FirstUse(ILogger logger, string keyId, string slot, string system);
    }
}
