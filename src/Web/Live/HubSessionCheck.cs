using CareTwin.Web.SignIn;
using Microsoft.AspNetCore.SignalR;

namespace CareTwin.Web.Live;

/// <summary>
/// A hub connection keeps the sign-in it was opened with, so each call checks that session again as a request's
/// cookie is checked: a staff account taken out of configuration (or demo mode turned off) ends the connection.
/// </summary>
public sealed class HubSessionCheck(LiveAccess access) : IHubFilter
{
    public const string Ended = "Sign in again: this session has ended.";

    public ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var context = invocationContext.Context;
        if (CallerClaims.TryGetCaller(context.User, out var caller) && !access.SessionStillValid(caller, context.User!))
        {
            context.Abort();
            throw new HubException(Ended);
        }
        return next(invocationContext);
    }
}
