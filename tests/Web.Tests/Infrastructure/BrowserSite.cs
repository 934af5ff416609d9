using System.Text.Json;
using CareTwin.Testing;
using Microsoft.Playwright;

namespace CareTwin.Web.Tests.Infrastructure;

/// <summary>
/// One CareTwin host and one headless Debian chromium for every browser test (xunit runs a collection's tests
/// one at a time). Playwright drives the system chromium; it never downloads a browser.
/// </summary>
public class BrowserSite : IAsyncLifetime
{
    public static readonly ViewportSize Desktop = new() { Width = 1280, Height = 900 };
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    /// <summary>A coordinator with a password (not a demo user), whose account a test can take away while they are signed in.</summary>
    public const string ConfiguredCoordinator = "rowan";
    public const string ConfiguredPassword = "quiet harbour lights";

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private CareTwinSite? _site;

    /// <summary>Every alert/confirm any page opened: script smuggled in through data would show up here.</summary>
    public System.Collections.Concurrent.ConcurrentBag<string> Dialogs { get; } = [];

    public CareTwinSite Site => _site ?? throw new InvalidOperationException("The site is not started.");

    public static string ScreenshotDirectory { get; } = Path.Combine(Repository.Root, "artifacts", "screenshots");

    public async Task InitializeAsync()
    {
        var chromium = HeadlessChromium.Require();
        Assertions.SetDefaultExpectTimeout(15_000);
        // Every test signs in afresh from 127.0.0.1: lift the per-address sign-in limit for this site.
        var settings = new Dictionary<string, string>
        {
            ["Web:Live:SignInAttemptsPerMinute"] = "10000",
            ["Web:Staff:0:UserName"] = ConfiguredCoordinator,
            ["Web:Staff:0:DisplayName"] = "Rowan Ellis",
            ["Web:Staff:0:Role"] = "coordinator",
            ["Web:Staff:0:PasswordHash"] = CareTwin.Web.SignIn.PasswordHash.Create(ConfiguredPassword, 100_000),
        };
        foreach (var (key, value) in await SettingsAsync()) settings[key] = value;
        _site = await CareTwinSite.StartAsync(demoChildren: 24, settings);
        await StartedAsync(_site);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = HeadlessChromium.Arguments,
        });
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    /// <summary>Settings a derived site adds to the host's (started before the host, e.g. an identity provider).</summary>
    protected virtual Task<IReadOnlyDictionary<string, string>> SettingsAsync() => Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>());

    /// <summary>Once the host has started (its address is known).</summary>
    protected virtual Task StartedAsync(CareTwinSite site) => Task.CompletedTask;

    /// <summary>A fresh browser profile (its own cookies), like a different person's browser.</summary>
    /// <param name="bypassCsp">Only for injecting axe-core: the page's CSP rightly refuses inline script.</param>
    /// <param name="javaScript">False: a browser with scripts blocked.</param>
    public async Task<IPage> NewPageAsync(bool phone = false, bool bypassCsp = false, bool javaScript = true)
    {
        var context = await NewContextAsync(javaScript, phone, bypassCsp);
        var page = await context.NewPageAsync();
        page.Dialog += (_, dialog) =>
        {
            Dialogs.Add(dialog.Message);
            _ = dialog.DismissAsync();
        };
        return page;
    }

    /// <summary>A fresh browser profile; <paramref name="javaScript"/> false is a browser with scripts blocked.</summary>
    public Task<IBrowserContext> NewContextAsync(bool javaScript = true, bool phone = true, bool bypassCsp = false) =>
        _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Site.Address.ToString(),
            ViewportSize = phone ? Phone : Desktop,
            IsMobile = phone,
            HasTouch = phone,
            BypassCSP = bypassCsp,
            JavaScriptEnabled = javaScript,
            Locale = "en-GB",
            TimezoneId = "Europe/London",
        });

    /// <summary>Signs in with a demo mode "sign in as" button and waits for the user's start page.</summary>
    public async Task<IPage> SignedInAsync(string demoUser, bool phone = false, bool bypassCsp = false, bool javaScript = true)
    {
        var page = await NewPageAsync(phone, bypassCsp, javaScript);
        await page.GotoAsync("/sign-in");
        await page.Locator($"button[data-demo-user='{demoUser}']").ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/sign-in", StringComparison.Ordinal));
        return page;
    }

    /// <summary>Signs in with a configured account's user name and password and waits for the start page.</summary>
    public async Task<IPage> SignedInWithPasswordAsync(string userName, string password)
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/sign-in");
        await page.GetByLabel("User name").FillAsync(userName);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/sign-in", StringComparison.Ordinal));
        return page;
    }

    /// <summary>Joins as a family member with an invite code, as a parent would.</summary>
    public async Task<IPage> FamilyAsync(string inviteCode, string name, bool phone = true, bool bypassCsp = false)
    {
        var page = await NewPageAsync(phone, bypassCsp);
        await page.GotoAsync("/join");
        await page.GetByLabel("Invite code").FillAsync(inviteCode);
        await page.GetByLabel("Your name").FillAsync(name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/family/", StringComparison.Ordinal));
        return page;
    }

    /// <summary>Waits until the page's live connection is up and its view has been read.</summary>
    public static async Task LiveAsync(IPage page, string rootSelector)
    {
        await Assertions.Expect(page.Locator("[data-connection]")).ToHaveAttributeAsync("data-state", "connected");
        await Assertions.Expect(page.Locator(rootSelector)).ToHaveAttributeAsync("data-loaded", "true");
    }

    /// <summary>
    /// Calls a hub method over a new raw SignalR connection opened from the page (with the page's cookie), the
    /// way a curious user could from the browser's console. Returns the completion's error, or null on success.
    /// </summary>
    public static async Task<(string? Error, JsonElement? Result)> RawHubCallAsync(IPage page, string method, params object?[] arguments)
    {
        var outcome = await page.EvaluateAsync<JsonElement>(RawHubScript, new object[] { method, arguments });
        string? error = outcome.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
        JsonElement? result = outcome.TryGetProperty("result", out var r) && r.ValueKind != JsonValueKind.Null ? r : null;
        return (error, result);
    }

    private const string RawHubScript = """
        async ([method, args]) => {
          const negotiate = await fetch('/hubs/journey/negotiate?negotiateVersion=1', { method: 'POST' });
          if (!negotiate.ok) return { error: 'negotiate ' + negotiate.status };
          const { connectionToken } = await negotiate.json();
          const socket = new WebSocket(`ws://${location.host}/hubs/journey?id=${encodeURIComponent(connectionToken)}`);
          const separator = '\u001e';
          return await new Promise((resolve) => {
            let handshaken = false;
            socket.onopen = () => socket.send(JSON.stringify({ protocol: 'json', version: 1 }) + separator);
            socket.onerror = () => resolve({ error: 'websocket failed' });
            socket.onmessage = (event) => {
              for (const part of event.data.split(separator).filter(Boolean)) {
                const message = JSON.parse(part);
                if (!handshaken) {
                  handshaken = true;
                  socket.send(JSON.stringify({ type: 1, invocationId: '1', target: method, arguments: args }) + separator);
                } else if (message.type === 3) {
                  socket.close();
                  resolve({ error: message.error ?? null, result: message.result ?? null });
                }
              }
            };
          });
        }
        """;

    /// <summary>Full-page screenshot into artifacts/screenshots for a reviewer to look at.</summary>
    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });

    public virtual async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.CloseAsync();
        _playwright?.Dispose();
        if (_site is not null) await _site.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserSite>
{
    public const string Name = "browser";
}
