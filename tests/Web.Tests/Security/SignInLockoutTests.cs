using CareTwin.Testing;
using CareTwin.Web.Hosting;
using CareTwin.Web.SignIn;
using Microsoft.Extensions.Options;

namespace CareTwin.Web.Tests.Security;

/// <summary>Repeated wrong passwords lock a user name for a while, on a manual clock (no sleeps).</summary>
public sealed class SignInLockoutTests
{
    private readonly ManualTimeProvider _clock = new();
    private readonly SignInLockout _lockout;

    public SignInLockoutTests() =>
        _lockout = new SignInLockout(_clock, Options.Create(new WebOptions { Lockout = new LockoutOptions { MaxFailures = 5, Duration = TimeSpan.FromMinutes(15) } }));

    [Fact]
    public void Five_wrong_passwords_lock_the_name_for_fifteen_minutes_then_it_may_try_again()
    {
        for (var i = 1; i <= 4; i++)
        {
            Assert.Null(_lockout.Failed("ada"));
            Assert.Null(_lockout.LockedUntil("ada"));
            _clock.Advance(TimeSpan.FromSeconds(30));
        }
        var until = _lockout.Failed("ADA ");
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromMinutes(15), until);
        Assert.Equal(until, _lockout.LockedUntil("Ada"));
        Assert.Null(_lockout.LockedUntil("grace"));

        _clock.Advance(TimeSpan.FromMinutes(15) - TimeSpan.FromSeconds(1));
        Assert.NotNull(_lockout.LockedUntil("ada"));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(_lockout.LockedUntil("ada"));
        // A fresh start: one more wrong password does not lock again.
        Assert.Null(_lockout.Failed("ada"));
    }

    [Fact]
    public void A_right_password_starts_the_count_again_and_old_failures_are_forgotten()
    {
        for (var i = 0; i < 4; i++) _lockout.Failed("ada");
        _lockout.Succeeded("ada");
        for (var i = 0; i < 4; i++) Assert.Null(_lockout.Failed("ada"));

        _clock.Advance(TimeSpan.FromMinutes(16));
        Assert.Null(_lockout.Failed("ada"));
        Assert.Null(_lockout.LockedUntil("ada"));
    }

    [Fact]
    public void Guessing_many_names_keeps_memory_bounded()
    {
        for (var i = 0; i < SignInLockout.MaxRemembered + 500; i++) _lockout.Failed($"name-{i}");
        for (var i = 0; i < 5; i++) _lockout.Failed("ada");
        Assert.NotNull(_lockout.LockedUntil("ada"));
    }
}
