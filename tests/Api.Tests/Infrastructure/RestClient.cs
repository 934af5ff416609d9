using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace CareTwin.Api.Tests.Infrastructure;

/// <summary>What a REST call answered: the HTTP status, the media type and the body (parsed when it is JSON).</summary>
public sealed record RestResult(HttpStatusCode Status, string? MediaType, string Text)
{
    public JsonElement Json => JsonDocument.Parse(Text).RootElement.Clone();

    /// <summary>A string property of the JSON body, or null.</summary>
    public string? this[string property] => Json.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>
/// A REST/JSON client of the caretwin.v1 routes on plain HttpClient (HTTP/1.1, or HTTP/2 with prior knowledge),
/// knowing nothing of gRPC or protobuf: it sends the JSON a system would write by hand, with the key as
/// <c>x-api-key</c> (or none).
/// </summary>
public sealed class RestClient(Uri address, string? key, bool http2 = false) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false })
    {
        BaseAddress = address,
        DefaultRequestVersion = http2 ? HttpVersion.Version20 : HttpVersion.Version11,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        Timeout = TimeSpan.FromSeconds(30),
    };

    public Task<RestResult> GetAsync(string path, IReadOnlyDictionary<string, string>? headers = null) => SendAsync(HttpMethod.Get, path, null, null, headers);

    /// <param name="contentType">Sent as given; null sends no Content-Type at all.</param>
    public Task<RestResult> PostAsync(string path, string body, string? contentType = "application/json", IReadOnlyDictionary<string, string>? headers = null) =>
        SendAsync(HttpMethod.Post, path, body, contentType, headers);

    /// <summary>Opens a watch (GET on a :watch route) and reads it line by line.</summary>
    public async Task<RestWatch> WatchAsync(string path)
    {
        using var request = Request(HttpMethod.Get, path, null, null, null);
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return new RestWatch(response, new StreamReader(await response.Content.ReadAsStreamAsync(), Encoding.UTF8));
    }

    public void Dispose() => _http.Dispose();

    private async Task<RestResult> SendAsync(HttpMethod method, string path, string? body, string? contentType, IReadOnlyDictionary<string, string>? headers)
    {
        using var request = Request(method, path, body, contentType, headers);
        using var response = await _http.SendAsync(request);
        return new RestResult(response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    private HttpRequestMessage Request(HttpMethod method, string path, string? body, string? contentType, IReadOnlyDictionary<string, string>? headers)
    {
        var request = new HttpRequestMessage(method, path) { Version = _http.DefaultRequestVersion, VersionPolicy = _http.DefaultVersionPolicy };
        if (headers is not null)
        {
            foreach (var (name, value) in headers)
                request.Headers.TryAddWithoutValidation(name, value);
        }
        else if (key is not null)
        {
            request.Headers.Add("x-api-key", key);
        }

        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            if (contentType is not null)
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        return request;
    }
}

/// <summary>An open REST watch: newline-delimited JSON, one update per line.</summary>
public sealed class RestWatch(HttpResponseMessage response, StreamReader lines) : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    public HttpStatusCode Status => response.StatusCode;

    public string? MediaType => response.Content.Headers.ContentType?.MediaType;

    public async Task<JsonElement> NextAsync()
    {
        var line = await lines.ReadLineAsync().WaitAsync(Bound) ?? throw new InvalidOperationException("The watch ended.");
        return JsonDocument.Parse(line).RootElement.Clone();
    }

    /// <summary>Everything left, for a watch that was answered with an error instead.</summary>
    public Task<string> RestAsync() => lines.ReadToEndAsync().WaitAsync(Bound);

    public void Dispose()
    {
        lines.Dispose();
        response.Dispose();
    }
}

/// <summary>
/// Debian's curl as an independent REST client, run the way docs/external-systems.md shows it. Missing curl fails
/// the test saying how to install it.
/// </summary>
public static class Curl
{
    public const string Path = "/usr/bin/curl";

    /// <summary>Runs curl with <paramref name="arguments"/> plus <c>-w</c> for the HTTP status; returns it with the body.</summary>
    public static async Task<(int Status, string Body)> RunAsync(params string[] arguments)
    {
        using var curl = Process.Start(StartInfo([.. arguments, "--write-out", "\n%{http_code}"]))!;
        var output = curl.StandardOutput.ReadToEndAsync();
        var error = curl.StandardError.ReadToEndAsync();
        await curl.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(curl.ExitCode == 0, $"curl exited {curl.ExitCode}: {await error}");
        var text = await output;
        var split = text.LastIndexOf('\n');
        return (int.Parse(text[(split + 1)..], System.Globalization.CultureInfo.InvariantCulture), text[..split]);
    }

    /// <summary>Starts a long-running curl (a watch with <c>-N</c>); read its lines from standard output, then kill it.</summary>
    public static Process Start(params string[] arguments) => Process.Start(StartInfo(arguments))!;

    private static ProcessStartInfo StartInfo(string[] arguments)
    {
        if (!File.Exists(Path))
            throw new InvalidOperationException($"The REST tests need Debian's curl ({Path}), which is missing. Run deploy/dev/install-prerequisites.sh (it installs curl).");
        var start = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "--silent", "--show-error", "--noproxy", "*" }.Concat(arguments))
            start.ArgumentList.Add(argument);
        return start;
    }
}
