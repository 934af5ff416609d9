using System.Security.Claims;
using CareTwin.Api.Authentication;
using CareTwin.Api.Calls;
using CareTwin.Grains.Access;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CareTwin.Fhir.Endpoints;

/// <summary>How the host tells who a signed-in person is (the web's sign-in cookie), so staff read FHIR as they read pages.</summary>
public sealed record FhirStaffSignIn(Func<ClaimsPrincipal, Caller?> CallerOf)
{
    public static FhirStaffSignIn None { get; } = new(_ => null);
}

/// <summary>
/// Who a FHIR request comes from, by the same means as the rest of CareTwin: an external system's API key (the
/// <c>x-api-key</c> header, or <c>authorization: Bearer</c>, looked up in the one <see cref="ApiKeyRegistry"/> and
/// held to its rate limit), else a member of staff's sign-in cookie. A request with neither, or with a key nobody
/// knows, is refused with 401 and, when it names a child, the refusal is audited as the gRPC API audits one.
/// </summary>
public sealed partial class FhirCallers(ApiKeyRegistry keys, CallRateLimiter limiter, AccessGate gate, FhirStaffSignIn staff, ILogger<FhirCallers> logger)
{
    /// <summary>The audit trail's channel for a FHIR read.</summary>
    public const string Channel = "fhir";

    private static readonly Caller Anonymous = Caller.Unauthenticated("Caller without a valid API key or sign-in");

    public static AccessChannel ChannelOf(HttpContext http) => new(Channel, http.Connection.RemoteIpAddress?.ToString());

    /// <param name="subjects">The audit subjects the request names ("child/c-1"), for auditing a refusal.</param>
    /// <exception cref="FhirRefusal">401 without valid credentials; 429 past the key's rate limit.</exception>
    public async Task<Caller> IdentifyAsync(HttpContext http, AccessAction action, params IEnumerable<string> subjects)
    {
        var presented = PresentedKey(http.Request, out var problem);
        try
        {
            if (presented is not null && keys.TryFind(presented, out var grant))
            {
                limiter.TakeForKey(grant.Caller.Id, 1);
                return grant.Caller;
            }
            if (presented is null && problem is null && staff.CallerOf(http.User) is { } signedIn)
                return signedIn;
            limiter.TakeForAddress($"{http.Connection.RemoteIpAddress}:{http.Connection.RemotePort}");
        }
        catch (RpcException limited) when (limited.StatusCode == StatusCode.ResourceExhausted)
        {
            throw new FhirRefusal(StatusCodes.Status429TooManyRequests, Hl7.Fhir.Model.OperationOutcome.IssueType.Throttled, limited.Status.Detail);
        }

        problem ??= presented is null
            ? $"No credentials: send an API key in the '{CallAdmission.KeyHeader}' header (or '{CallAdmission.AuthorizationHeader}: Bearer <key>'), or sign in to CareTwin."
            : "The API key is not one CareTwin knows (revoked, mistyped, or for another installation).";
        Log.Refused(logger, http.Request.Path, http.Connection.RemoteIpAddress?.ToString(), problem);
        var denial = AccessDecision.Deny($"Unauthenticated: {problem}");
        foreach (var subject in subjects.Distinct(StringComparer.Ordinal))
            await gate.RecordAsync(Anonymous, subject, action, $"FHIR {http.Request.Path}", denial, ChannelOf(http));
        throw FhirRefusal.Unauthenticated(problem);
    }

    /// <summary>The key as the gRPC API reads it: x-api-key, or authorization: Bearer, and the two must agree if both are sent.</summary>
    private static string? PresentedKey(HttpRequest request, out string? problem)
    {
        problem = null;
        var key = request.Headers[CallAdmission.KeyHeader].FirstOrDefault();
        var authorization = request.Headers[CallAdmission.AuthorizationHeader].FirstOrDefault();
        string? bearer = null;
        if (authorization is not null)
        {
            const string scheme = "Bearer ";
            if (!authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                problem = $"The '{CallAdmission.AuthorizationHeader}' header must be 'Bearer <key>'.";
                return null;
            }
            bearer = authorization[scheme.Length..].Trim();
        }
        if (key is not null && bearer is not null && key != bearer)
        {
            problem = $"The '{CallAdmission.KeyHeader}' and '{CallAdmission.AuthorizationHeader}' headers carry different keys; send one.";
            return null;
        }
        return key ?? bearer;
    }

    private static partial class Log
    {
        // The path and peer only: a presented key is never logged, not even a wrong one.
        [LoggerMessage(1, LogLevel.Information, "FHIR request {Path} from {Peer} refused: {Problem}")]
        public static partial void Refused(ILogger logger, string path, string? peer, string problem);
    }
}
