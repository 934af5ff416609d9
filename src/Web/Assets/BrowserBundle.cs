using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace CareTwin.Web.Assets;

/// <summary>
/// The browser bundle ClientApp's build wrote to wwwroot/dist: which stylesheet and scripts each kind of page needs
/// (from its manifest.json), served with a year's immutable caching because each name carries its content's hash,
/// and as the Brotli or gzip copy the build made beside it when the browser accepts one.
/// </summary>
public sealed class BrowserBundle
{
    public const string RequestPath = "/dist";
    public const string PlainPage = "plain";

    // Preferred first: Brotli is the smaller.
    private static readonly (string Encoding, string Suffix)[] Copies = [("br", ".br"), ("gzip", ".gz")];
    private static readonly FileExtensionContentTypeProvider Types = new();

    private readonly Dictionary<string, PageFiles> _pages;

    // The compressed copies the build made, read once: asking the disk on every asset request is work done twice.
    private readonly HashSet<string> _copies;

    private BrowserBundle(string directory, string stylesheet, Dictionary<string, PageFiles> pages)
    {
        Directory = directory;
        Stylesheet = $"{RequestPath}/{stylesheet}";
        _pages = pages;
        _copies = [.. System.IO.Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => Copies.Any(c => f.EndsWith(c.Suffix, StringComparison.Ordinal)))
            .Select(f => Path.GetRelativePath(directory, f).Replace('\\', '/'))];
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
    public void Serve(WebApplication app)
    {
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(RequestPath, out var file) && CopyFor(context.Request, file) is { } copy)
            {
                context.Request.Path = context.Request.Path + copy.Suffix;
                context.Response.Headers.ContentEncoding = copy.Encoding;
            }
            return next(context);
        });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(Directory),
            RequestPath = RequestPath,
            ContentTypeProvider = new OriginalType(),
            OnPrepareResponse = served =>
            {
                var headers = served.Context.Response.Headers;
                var original = WithoutCopySuffix(Path.GetRelativePath(Directory, served.File.PhysicalPath!).Replace('\\', '/'));
                if (Copies.Any(c => _copies.Contains(original + c.Suffix))) headers.Vary = HeaderNames.AcceptEncoding;
                headers.CacheControl = IsFingerprinted(served.Context.Request.Path) ? "public, max-age=31536000, immutable" : "no-cache";
            },
        });
    }

    private (string Encoding, string Suffix)? CopyFor(HttpRequest request, PathString file)
    {
        var accepted = request.GetTypedHeaders().AcceptEncoding;
        foreach (var copy in Copies)
        {
            if (accepted.Any(a => a.Value.Equals(copy.Encoding, StringComparison.OrdinalIgnoreCase) && a.Quality is not 0)
                && _copies.Contains(file.Value!.TrimStart('/') + copy.Suffix))
                return copy;
        }
        return null;
    }

    private static string WithoutCopySuffix(string path) =>
        Copies.FirstOrDefault(c => path.EndsWith(c.Suffix, StringComparison.Ordinal)) is { Suffix: { } suffix } ? path[..^suffix.Length] : path;

    private static bool IsFingerprinted(PathString path) =>
        !path.StartsWithSegments($"{RequestPath}/assets") && !path.StartsWithSegments($"{RequestPath}/manifest.json");

    /// <summary>A compressed copy has the type of the file it is a copy of.</summary>
    private sealed class OriginalType : IContentTypeProvider
    {
        public bool TryGetContentType(string subpath, out string contentType) => Types.TryGetContentType(WithoutCopySuffix(subpath), out contentType!);
    }
}
