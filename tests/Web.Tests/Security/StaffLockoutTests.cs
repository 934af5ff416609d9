using System.Net;
using System.Text.RegularExpressions;
using CareTwin.Grains.Access;
using CareTwin.Testing;
using CareTwin.Web.SignIn;
using Microsoft.Extensions.DependencyInjection;

namespace CareTwin.Web.Tests.Security;

/// <summary>A host with two configured staff accounts, locked after three wrong passwords.</summary>
public sealed class LockoutSite : IAsyncLifetime
{
    public const string Password = "tall ships sail at dawn";

    public CareTwinSite Site { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var hash = PasswordHash.Create(Password, 100_000);
        var settings = new Dictionary<string, string>
        {
            ["Demo:Enabled"] = "false",
            ["Web:Lockout:MaxFailures"] = "3",
            ["Web:Lockout:Duration"] = "00:15:00",
            ["Web:Live:SignInAttemptsPerMinute"] = "1000",
        };
        foreach (var (i, user) in new[] { "lee", "kim" }.Index())
        {
            settings[$"Web:Staff:{i}:UserName"] = user;
            settings[$"Web:Staff:{i}:DisplayName"] = $"Coordinator {user}";
            settings[$"Web:Staff:{i}:Role"] = "coordinator";
            settings[$"Web:Staff:{i}:PasswordHash"] = hash;
        }
        Site = await CareTwinSite.StartAsync(settings: settings);
    }

    public async Task DisposeAsync() => await Site.DisposeAsync();
}

/// <summary>Local accounts lock after repeated wrong passwords, with one message that does not say whether the account exists.</summary>
public sealed partial class StaffLockoutTests(LockoutSite lockout) : IClassFixture<LockoutSite>
{
    private const string NotRight = "The user name or password is not right.";
    private const string Paused = "There have been too many sign-in attempts that were not right, so signing in with this user name is paused for 15 minutes. Try again after that, or ask whoever runs CareTwin for you.";

    [Fact]
    public async Task Three_wrong_passwords_lock_the_account_even_for_the_right_password_and_an_unknown_name_locks_the_same_way()
    {
        Assert.Equal((HttpStatusCode.Unauthorized, NotRight), await SignInAsync("lee", "wrong 1"));
        Assert.Equal((HttpStatusCode.Unauthorized, NotRight), await SignInAsync("LEE", "wrong 2"));
        Assert.Equal((HttpStatusCode.Unauthorized, Paused), await SignInAsync("lee", "wrong 3"));
        Assert.Equal((HttpStatusCode.Unauthorized, Paused), await SignInAsync("lee", LockoutSite.Password));

        // A name that is no account answers exactly as one that is.
        Assert.Equal((HttpStatusCode.Unauthorized, NotRight), await SignInAsync("nobody", "guess 1"));
        Assert.Equal((HttpStatusCode.Unauthorized, NotRight), await SignInAsync("nobody", "guess 2"));
        Assert.Equal((HttpStatusCode.Unauthorized, Paused), await SignInAsync("nobody", "guess 3"));

        // Other accounts are not affected.
        Assert.Equal((HttpStatusCode.Redirect, ""), await SignInAsync("kim", LockoutSite.Password));

        // A known account's attempts one by one; a name that is no account is an unidentified caller, counted per window.
        var trail = (await lockout.Site.Grains.GetGrain<IAuditGrain>(SignInAudit.Subject).GetRecent(50)).Entries;
        Assert.Equal(4, trail.Count(e => e is { CallerId: "staff.lee", Allowed: false }));
        Assert.Contains(trail, e => e is { CallerId: "staff.lee", Reason: "Locked after repeated wrong passwords." });
        Assert.Contains(trail, e => e is { CallerId: "staff.kim", Allowed: true, Detail: "password" });
        Assert.DoesNotContain(trail, e => e.Role == CallerRole.Anonymous);
        await lockout.Site.Services.GetRequiredService<AccessGate>().Unauthenticated.FlushAsync(all: true);
        var unidentified = (await lockout.Site.Grains.GetGrain<IAuditGrain>(UnauthenticatedAttempts.Subject).GetRecent(50)).Entries;
        Assert.Contains(unidentified, e => e.Detail!.Contains(SignInAudit.Subject, StringComparison.Ordinal));
        Assert.DoesNotContain(trail.Concat(unidentified), e => (e.CallerName + e.Detail).Contains("nobody", StringComparison.Ordinal));
    }

    private async Task<(HttpStatusCode Status, string Message)> SignInAsync(string userName, string password)
    {
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = lockout.Site.Address };
        var form = await http.GetStringAsync("/sign-in");
        using var response = await http.PostAsync("/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Token().Match(form).Groups["value"].Value, ["userName"] = userName, ["password"] = password,
        }));
        var page = await response.Content.ReadAsStringAsync();
        var error = ErrorSummary().Match(page);
        return (response.StatusCode, error.Success ? WebUtility.HtmlDecode(error.Groups["text"].Value) : "");
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"(?<value>[^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex("<ul class=\"nhsuk-list nhsuk-error-summary__list\"><li><a href=\"#[^\"]*\">(?<text>[^<]+)</a>")]
    private static partial Regex ErrorSummary();
}
