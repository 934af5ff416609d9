using CareTwin.Grains.Access;
using CareTwin.Web.Pages;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CareTwin.Web.SignIn;

/// <summary>
/// Every sign-in, and every refused one, in the "sign-in" audit trail: who (as far as known), how (password, identity
/// provider, linked family sign-in), from where, and why a refusal. Refusals written here cost the sender a try of the
/// per-address sign-in limit or a round trip through the identity provider, so they cannot be multiplied for free.
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
