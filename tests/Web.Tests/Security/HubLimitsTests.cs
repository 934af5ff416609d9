using System.Net;
using CareTwin.Testing;
using CareTwin.Web.SignIn;

namespace CareTwin.Web.Tests.Security;

/// <summary>
/// A host of its own outside demo mode, with small limits and staff accounts (with hashed passwords), so each
/// user's limits are its own.
/// </summary>
public sealed class LimitedSite : IAsyncLifetime
{
    public const string Password = "correct horse battery staple";

    /// <summary>A configured account in the operator role (the Orleans dashboard, no child's record).</summary>
    public const string OperatorUserName = "ops";

    public CareTwinSite Site { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var hash = PasswordHash.Create(Password, 100_000);
        var settings = new Dictionary<string, string>
        {
            ["Demo:Enabled"] = "false",
            ["Web:Live:CallBurst"] = "5",
            ["Web:Live:CallsPerRefill"] = "1",
            ["Web:Live:CallRefillPeriod"] = "01:00:00",
            ["Web:Live:MaxGroupsPerConnection"] = "3",
            ["Web:Live:MaxMessageBytes"] = "4096",
        };
        foreach (var (i, user) in new[] { "ada", "bo", "cy" }.Index())
        {
            settings[$"Web:Staff:{i}:UserName"] = user;
            settings[$"Web:Staff:{i}:DisplayName"] = $"Coordinator {user}";
            settings[$"Web:Staff:{i}:Role"] = "coordinator";
            settings[$"Web:Staff:{i}:PasswordHash"] = hash;
        }
        settings["Web:Staff:3:UserName"] = OperatorUserName;
        settings["Web:Staff:3:DisplayName"] = "Operator Ops";
        settings["Web:Staff:3:Role"] = "operator";
        settings["Web:Staff:3:PasswordHash"] = hash;
        Site = await CareTwinSite.StartAsync(settings: settings);
    }

    public async Task DisposeAsync() => await Site.DisposeAsync();
}

public sealed class HubLimitsTests(LimitedSite limited) : IClassFixture<LimitedSite>
{
    private Uri Address => limited.Site.Address;

    [Fact]
    public async Task A_user_over_their_call_rate_is_refused_without_effect()
    {
        await using var hub = await RawHubClient.ConnectAsync(Address, await RawHubClient.SignInAsync(Address, "ada", LimitedSite.Password));
        for (var i = 0; i < 5; i++) Assert.Null((await hub.InvokeAsync("WatchBoard", "region:north-thames")).Error);

        Assert.Equal("Too many requests: wait a few seconds and try again.", (await hub.InvokeAsync("WatchBoard", "region:north-thames")).Error);
    }

    [Fact]
    public async Task A_connection_watches_a_limited_number_of_views()
    {
        await using var hub = await RawHubClient.ConnectAsync(Address, await RawHubClient.SignInAsync(Address, "bo", LimitedSite.Password));
        foreach (var board in new[] { "hospital:a", "hospital:b", "hospital:c" }) Assert.Null((await hub.InvokeAsync("WatchBoard", board)).Error);
        Assert.Null((await hub.InvokeAsync("WatchBoard", "hospital:a")).Error);

        Assert.Contains("at most 3 live views", (await hub.InvokeAsync("WatchBoard", "hospital:d")).Error);
    }

    [Fact]
    public async Task An_oversized_message_closes_that_connection_and_the_host_keeps_serving()
    {
        var cookies = await RawHubClient.SignInAsync(Address, "cy", LimitedSite.Password);
        await using (var hub = await RawHubClient.ConnectAsync(Address, cookies))
        {
            await hub.SendAsync($$"""{"type":1,"invocationId":"1","target":"AddFamilyNote","arguments":["x",{"text":"{{new string('a', 10_000)}}"}]}""");
            Assert.True(await hub.ClosedByServerAsync());
        }

        await using var again = await RawHubClient.ConnectAsync(Address, cookies);
        Assert.Null((await again.InvokeAsync("WatchBoard", "region:north-thames")).Error);
    }

    [Fact]
    public async Task Staff_sign_in_needs_the_right_password()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => RawHubClient.SignInAsync(Address, "ada", "wrong password"));
        using var http = new HttpClient { BaseAddress = Address };
        var page = await http.GetStringAsync("/sign-in");
        Assert.Contains("Staff sign-in", page);
    }

    [Fact]
    public void A_password_hash_matches_only_its_password_and_never_when_malformed()
    {
        var hash = PasswordHash.Create("s3cret!", 100_000);
        Assert.True(PasswordHash.Matches("s3cret!", hash));
        Assert.False(PasswordHash.Matches("s3cret", hash));
        Assert.False(PasswordHash.Matches("s3cret!", "pbkdf2-sha256$10$AAAA$AAAA"));
        Assert.False(PasswordHash.Matches("s3cret!", "not a hash"));
        Assert.False(PasswordHash.Matches("s3cret!", null));
    }
}
