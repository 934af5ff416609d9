using CareTwin.Grains.Access;
using CareTwin.Web.Hosting;
using CareTwin.Web.Live;
using CareTwin.Web.SignIn;
using Microsoft.AspNetCore.SignalR;

namespace CareTwin.Web.Tests.Live;

/// <summary>A hub connection outlives its sign-in only until its next call: a staff account taken out of configuration ends it.</summary>
public sealed class HubSessionCheckTests
{
    private static readonly StaffAccount Alice = new() { UserName = "alice", DisplayName = "Alice Green", Role = "coordinator", PasswordHash = "x" };
    private readonly WebOptionsNow _web = new() { CurrentValue = new WebOptions { Staff = [Alice] } };

    [Fact]
    public async Task A_call_on_a_connection_whose_staff_account_was_removed_is_refused_and_the_connection_ended()
    {
        var check = new HubSessionCheck(new LiveAccess(null!, new DemoMode(false), _web));
        var invocation = HubInvocations.Of(CallerClaims.Principal(Caller.Coordinator("staff.alice", "Alice Green")));
        Assert.Equal("done", await check.InvokeMethodAsync(invocation, _ => ValueTask.FromResult<object?>("done")));

        _web.CurrentValue = new WebOptions { Staff = [] };
        var refused = await Assert.ThrowsAsync<HubException>(async () => await check.InvokeMethodAsync(invocation, _ => ValueTask.FromResult<object?>("done")));

        Assert.Equal(HubSessionCheck.Ended, refused.Message);
        Assert.True(((HubInvocations.Caller)invocation.Context).Aborted);
    }
}
