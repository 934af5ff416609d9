using System.Security.Claims;
using CareTwin.Grains.Access;
using CareTwin.Web.Hosting;
using CareTwin.Web.SignIn;
using Microsoft.Extensions.Options;

namespace CareTwin.Web.Live;

/// <summary>Who watches through a connection: the caller, the sign-in session it came with, and how it reached CareTwin.</summary>
public sealed record LiveWatcher(Caller Caller, ClaimsPrincipal Session, AccessChannel Channel)
{
    /// <summary>A watcher with the session a sign-in would give the caller (tests, and callers built without a cookie).</summary>
    public static LiveWatcher Of(Caller caller, AccessChannel? channel = null) =>
        new(caller, CallerClaims.Principal(caller), channel ?? new AccessChannel("hub", null));
}

/// <summary>
/// Decides again whether a connection may go on watching a live view: on each change it would be sent and every
/// <see cref="LiveLimits.AccessRecheckInterval"/>. The session must still be valid (a staff account removed from
/// configuration or changed role, demo mode turned off), and a family member must still be an active member allowed
/// to see the child (not removed, the young person's agreement not withdrawn). Staff access to a child's record
/// while their service is involved is decided per group by <see cref="ChildChangeShaper"/>.
/// </summary>
public sealed class LiveAccess(AccessGate gate, DemoMode demo, IOptionsMonitor<WebOptions> options)
{
    public const string EndedDetail = "live view ended: access ended";

    public async Task<bool> StillAllowedAsync(LiveWatcher watcher, LiveTopic topic)
    {
        if (!SessionStillValid(watcher.Caller, watcher.Session)) return false;
        if (watcher.Caller.Role != CallerRole.Family) return true;
        var access = await gate.RecheckChildAsync(watcher.Caller, AccessAction.WatchFamilyView, topic.Key, watcher.Channel, EndedDetail);
        return access.Allowed;
    }

    /// <summary>The checks a sign-in cookie gets on every request, against the configuration as it is now.</summary>
    public bool SessionStillValid(Caller caller, ClaimsPrincipal session) =>
        SignInEndpoints.SessionStillValid(caller, session, demo, options.CurrentValue);
}
