using CareTwin.Grains.Access;
using CareTwin.Web.Pages;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CareTwin.Web.SignIn;

/// <summary>
/// Every sign-in, and every refused one, audited: who (as far as known), how (password, identity provider, linked
/// family sign-in), from where, and why a refusal. Sign-ins and refusals of a known account go one by one into the
/// "sign-in" trail; refusals of someone CareTwin cannot name (an unknown user name, a token it did not accept, a
/// person the role table does not map) are attempts by an unidentified caller, counted per address and window like
/// any other (<see cref="UnauthenticatedAttempts"/>), so they cannot multiply audit writes.
/// </summary>
public sealed class SignInAudit(AccessGate gate, ILogger<SignInAudit> logger)
{
    public const string Subject = "sign-in";

    /// <summary>Who an entry names when no account was identified.</summary>
    public static Caller Unidentified(string name) => Caller.Unauthenticated(name);

    public async Task AllowedAsync(HttpContext context, Caller caller, string method)
    {
        logger.LogInformation("{CallerId} signed in with {Method}", caller.Id, method);
        await gate.RecordAsync(caller, Subject, AccessAction.SignIn, method, AccessDecision.Allow("Signed in."), PageEndpoints.Channel(context));
    }

    public async Task RefusedAsync(HttpContext context, Caller caller, string method, string reason)
    {
        logger.LogWarning("Sign-in with {Method} refused for {CallerId}: {Reason}", method, caller.Id, reason);
        await gate.RecordAsync(caller, Subject, AccessAction.SignIn, method, AccessDecision.Deny(reason), PageEndpoints.Channel(context));
    }
}
