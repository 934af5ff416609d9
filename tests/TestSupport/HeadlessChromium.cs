namespace CareTwin.Testing;

/// <summary>Debian's chromium as the browser tests drive it (through Playwright, which never downloads a browser).</summary>
public static class HeadlessChromium
{
    public const string Path = "/usr/bin/chromium";

    /// <summary>Headless, and quiet: no sandbox (CI runs as root), no GPU, no calls home.</summary>
    public static readonly string[] Arguments =
        ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    /// <exception cref="InvalidOperationException">Chromium is not installed.</exception>
    public static string Require() => File.Exists(Path)
        ? Path
        : throw new InvalidOperationException($"Chromium is not installed at {Path}: run deploy/dev/install-prerequisites.sh (it installs Debian's chromium package).");
}
