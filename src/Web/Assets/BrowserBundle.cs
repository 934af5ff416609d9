using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace CareTwin.Web.Assets;

/// <summary>
/// The browser bundle ClientApp's build wrote to wwwroot/dist: which stylesheet and scripts each kind of page needs
/// (from its manifest.json), served with a year's immutable caching because each name carries its content's hash.
/// </summary>
public sealed class BrowserBundle
{
    public const string RequestPath = "/dist";
    public const string PlainPage = "plain";

    private readonly Dictionary<string, PageFiles> _pages;

    private BrowserBundle(string directory, string stylesheet, Dictionary<string, PageFiles> pages)
    {
        Directory = directory;
        Stylesheet = $"{RequestPath}/{stylesheet}";
        _pages = pages;
    }

    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "wwwroot", "dist");

    public string Directory { get; }

    public string Stylesheet { get; }

    /// <summary>The page's script and every chunk it imports (to preload them together), for a page module or a plain page.</summary>
    public PageFiles For(string? page) => _pages.GetValueOrDefault(page ?? PlainPage) ?? _pages[PlainPage];

    public sealed record PageFiles(string Script, IReadOnlyList<string> Imports);

    private sealed record Manifest(string Stylesheet, Dictionary<string, ManifestPage> Pages);

    private sealed record ManifestPage(string Script, List<string> Imports);

    public static BrowserBundle Load(string directory)
    {
        var path = Path.Combine(directory, "manifest.json");
        if (!File.Exists(path))
            throw new InvalidOperationException($"The web bundle is missing from {directory}: build src/Web (it needs Node.js and npm) and start again.");
        var manifest = JsonSerializer.Deserialize<Manifest>(File.ReadAllText(path), JsonSerializerOptions.Web)
            ?? throw new InvalidOperationException($"{path} is empty.");
        return new BrowserBundle(directory, manifest.Stylesheet, manifest.Pages.ToDictionary(
            p => p.Key, p => new PageFiles($"{RequestPath}/{p.Value.Script}", [.. p.Value.Imports.Select(i => $"{RequestPath}/{i}")])));
    }

    /// <summary>Serves the bundle: hashed files cached for good; the images the stylesheet names and the manifest revalidated.</summary>
    public void Serve(WebApplication app) => app.UseStaticFiles(new StaticFileOptions
    {
        FileProvider = new PhysicalFileProvider(Directory),
        RequestPath = RequestPath,
        ContentTypeProvider = new FileExtensionContentTypeProvider(),
        OnPrepareResponse = file => file.Context.Response.Headers.CacheControl = IsFingerprinted(file.Context.Request.Path)
            ? "public, max-age=31536000, immutable"
            : "no-cache",
    });

    /// <summary>The MIME types compressed on the way out: the bundle's text files, never pages (which carry anti-forgery tokens).</summary>
    public static readonly string[] CompressedTypes = ["text/css", "text/javascript", "application/javascript", "image/svg+xml"];

    private static bool IsFingerprinted(PathString path) =>
        !path.StartsWithSegments($"{RequestPath}/assets") && !path.Equals($"{RequestPath}/manifest.json", StringComparison.Ordinal);
}
