using CareTwin.Testing;
using Microsoft.Playwright;

namespace CareTwin.Bench.Shared;

/// <summary>
/// Debian's chromium signed in as the demo coordinator, with every main-thread task over 50 ms (the Long Tasks API)
/// and every `board-apply` kept from each page's start, for the benches that time the coordinators' board
/// (bench/BoardRender, bench/LivePush). Linked into each bench's project.
/// </summary>
public sealed class BoardInChromium : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private BoardInChromium(IPlaywright playwright, IBrowser browser, IPage page) => (_playwright, _browser, Page) = (playwright, browser, page);

    public IPage Page { get; }

    public static async Task<BoardInChromium> SignInAsync(Uri site)
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = HeadlessChromium.Require(), Headless = true, Args = HeadlessChromium.Arguments });
        var context = await browser.NewContextAsync(new() { BaseURL = site.ToString(), ViewportSize = new() { Width = 1280, Height = 900 }, Locale = "en-GB", TimezoneId = "Europe/London" });
        // Generous: the machine is shared, and a busy one is slow to sign in; the figures are measured, not limited.
        context.SetDefaultTimeout(120_000);
        context.SetDefaultNavigationTimeout(120_000);
        await context.AddInitScriptAsync("""
            window.__longTasks = []; window.__applies = [];
            try { new PerformanceObserver(list => { for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration }); })
                .observe({ type: 'longtask', buffered: true }); } catch { }
            new PerformanceObserver(list => { for (const e of list.getEntries()) if (e.name === 'board-apply') window.__applies.push(e.duration); })
                .observe({ type: 'measure' });
            """);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/sign-in");
        await page.Locator("button[data-demo-user='coordinator']").ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/sign-in", StringComparison.Ordinal));
        return new BoardInChromium(playwright, browser, page);
    }

    /// <summary>Opens the board at <paramref name="address"/> ("/board?…") and waits until its rows are drawn and it is live.</summary>
    public async Task OpenLiveAsync(string address)
    {
        await Page.GotoAsync(address);
        await Page.Locator("#board-root[data-loaded='true']").WaitForAsync();
        await Page.Locator("[data-connection][data-state='connected']").WaitForAsync();
    }

    /// <summary>The latest duration of a User Timing measure the page records (board-show, board-render, board-apply), or -1.</summary>
    public Task<double> MeasureAsync(string name) =>
        Page.EvaluateAsync<double>($"() => performance.getEntriesByName('{name}').at(-1)?.duration ?? -1");

    /// <summary>Durations of the main-thread tasks over 50 ms since <paramref name="since"/> (the page's performance.now()).</summary>
    public Task<double[]> LongTasksSinceAsync(double since) =>
        Page.EvaluateAsync<double[]>($"() => window.__longTasks.filter(t => t.start >= {since.ToString(System.Globalization.CultureInfo.InvariantCulture)}).map(t => t.duration)");

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
