using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CareTwin.Testing;

/// <summary>
/// A browser's session without a browser: signs in through the real forms (anti-forgery token and all), then
/// speaks SignalR's JSON protocol over a raw WebSocket. The .NET SignalR client does not restore here, and a
/// raw client can also send what no well-behaved client would.
/// </summary>
public sealed partial class RawHubClient : IAsyncDisposable
{
    private const char Separator = '\u001e';
    private readonly ClientWebSocket _socket;
    private readonly StringBuilder _received = new();
    private readonly Queue<JsonElement> _unread = new();
    private int _invocation;

    private RawHubClient(ClientWebSocket socket) => _socket = socket;

    /// <summary>Invocations the server pushed ("changes" batches, "accessEnded"), in order.</summary>
    public List<JsonElement> Pushed { get; } = [];

    /// <summary>A signed-in cookie jar: a demo user ("coordinator") or a staff user name and password.</summary>
    public static async Task<CookieContainer> SignInAsync(Uri site, string demoUserOrName, string? password = null)
    {
        var form = new Dictionary<string, string>();
        if (password is null) form["user"] = demoUserOrName;
        else (form["userName"], form["password"]) = (demoUserOrName, password);
        var (cookies, response, _) = await PostFormAsync(site, "/sign-in", password is null ? "/sign-in/demo" : "/sign-in", form);
        if (response != HttpStatusCode.Redirect) throw new InvalidOperationException($"Sign-in answered {(int)response}.");
        return cookies;
    }

    /// <summary>Joins as a family member with an invite code, as a parent does on /join; the join page's error if it refuses.</summary>
    /// <exception cref="InvalidOperationException">The code was refused; the message is what the page said.</exception>
    public static async Task<CookieContainer> JoinAsync(Uri site, string inviteCode, string name)
    {
        var (cookies, response, page) = await PostFormAsync(site, "/join", "/join", new Dictionary<string, string> { ["code"] = inviteCode, ["name"] = name });
        if (response == HttpStatusCode.Redirect) return cookies;
        var error = ErrorMessage().Match(page);
        throw new InvalidOperationException(error.Success ? WebUtility.HtmlDecode(error.Groups["text"].Value) : $"Joining answered {(int)response}.");
    }

    /// <summary>Opens the hub's WebSocket with the cookies (and any extra headers, e.g. an API key, which the web ignores).</summary>
    /// <exception cref="HubRefusedException">Negotiation was refused (401 without a session, 403 from another site's page).</exception>
    public static async Task<RawHubClient> ConnectAsync(Uri site, CookieContainer cookies, string? origin = null, IReadOnlyDictionary<string, string>? headers = null)
    {
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = site };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/hubs/journey/negotiate?negotiateVersion=1");
        request.Headers.Add("Origin", origin ?? site.GetLeftPart(UriPartial.Authority));
        foreach (var (name, value) in headers ?? new Dictionary<string, string>()) request.Headers.Add(name, value);
        var negotiate = await http.SendAsync(request);
        if (!negotiate.IsSuccessStatusCode) throw new HubRefusedException((int)negotiate.StatusCode);
        var token = JsonDocument.Parse(await negotiate.Content.ReadAsStringAsync()).RootElement.GetProperty("connectionToken").GetString();
        var socket = new ClientWebSocket();
        socket.Options.Cookies = cookies;
        socket.Options.SetRequestHeader("Origin", origin ?? site.GetLeftPart(UriPartial.Authority));
        await socket.ConnectAsync(new Uri($"ws://{site.Authority}/hubs/journey?id={Uri.EscapeDataString(token!)}"), CancellationToken.None);
        var client = new RawHubClient(socket);
        await client.SendAsync("""{"protocol":"json","version":1}""");
        var handshake = await client.ReceiveAsync();
        if (handshake.TryGetProperty("error", out var error)) throw new InvalidOperationException($"Handshake refused: {error}");
        return client;
    }

    /// <summary>Calls a hub method and waits for its completion: the error text, or the result.</summary>
    public async Task<(string? Error, JsonElement? Result)> InvokeAsync(string method, params object?[] arguments)
    {
        var id = (++_invocation).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await SendAsync(JsonSerializer.Serialize(new { type = 1, invocationId = id, target = method, arguments }));
        while (true)
        {
            var message = await ReceiveAsync();
            switch (message.GetProperty("type").GetInt32())
            {
                case 1:
                    Pushed.Add(message);
                    _unread.Enqueue(message);
                    break;
                case 3 when message.GetProperty("invocationId").GetString() == id:
                    return (message.TryGetProperty("error", out var e) ? HubMessage(e.GetString()!) : null, message.TryGetProperty("result", out var r) ? r : null);
                case 7:
                    throw new WebSocketException($"The server closed the connection: {message}");
            }
        }
    }

    /// <summary>The next invocation the server pushes with <paramref name="target"/> (e.g. "accessEnded"), skipping others.</summary>
    public async Task<JsonElement> NextPushAsync(string target)
    {
        while (true)
        {
            var message = _unread.Count > 0 ? _unread.Dequeue() : await ReceivePushedAsync();
            if (message.GetProperty("target").GetString() == target) return message;
        }
    }

    // SignalR wraps a HubException's message ("An unexpected error occurred invoking 'X' on the server. HubException: ...").
    private static string HubMessage(string error)
    {
        const string marker = "HubException: ";
        var at = error.IndexOf(marker, StringComparison.Ordinal);
        return at < 0 ? error : error[(at + marker.Length)..];
    }

    /// <summary>Sends one protocol message as it is (the record separator is added).</summary>
    public Task SendAsync(string message) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(message + Separator), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>
    /// True once the server has closed the connection (a close message or the socket closing); false if it is still
    /// open after 30 seconds (its pings keep arriving, so this needs its own deadline).
    /// </summary>
    public async Task<bool> ClosedByServerAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        try
        {
            while (DateTime.UtcNow < deadline)
            {
                var message = await ReceiveAsync();
                if (message.GetProperty("type").GetInt32() == 7) return true;
            }
            return false;
        }
        catch (WebSocketException)
        {
            return true;
        }
    }

    private async Task<JsonElement> ReceivePushedAsync()
    {
        while (true)
        {
            var message = await ReceiveAsync();
            switch (message.GetProperty("type").GetInt32())
            {
                case 1:
                    Pushed.Add(message);
                    return message;
                case 7:
                    throw new WebSocketException($"The server closed the connection: {message}");
            }
        }
    }

    private async Task<JsonElement> ReceiveAsync()
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var text = _received.ToString();
            var end = text.IndexOf(Separator);
            if (end >= 0)
            {
                _received.Remove(0, end + 1);
                return JsonDocument.Parse(text[..end]).RootElement.Clone();
            }
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var result = await _socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close) throw new WebSocketException("The server closed the socket.");
            _received.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
        }
    }

    /// <summary>Loads a form page for its anti-forgery token and posts the form as a browser would, without following the redirect.</summary>
    private static async Task<(CookieContainer Cookies, HttpStatusCode Status, string Page)> PostFormAsync(Uri site, string formPage, string action, Dictionary<string, string> fields)
    {
        var cookies = new CookieContainer();
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = site };
        var page = await http.GetStringAsync(formPage);
        var token = TokenField().Match(page);
        if (!token.Success) throw new InvalidOperationException($"The page {formPage} has no anti-forgery token.");
        fields[token.Groups["name"].Value] = token.Groups["value"].Value;
        using var response = await http.PostAsync(action, new FormUrlEncodedContent(fields));
        return (cookies, response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            }
            catch (WebSocketException)
            {
            }
        }
        _socket.Dispose();
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>__RequestVerificationToken)\" value=\"(?<value>[^\"]+)\">")]
    private static partial Regex TokenField();

    [GeneratedRegex("<span class=\"nhsuk-error-message\"[^>]*><span class=\"nhsuk-u-visually-hidden\">Error: </span>(?<text>[^<]*)</span>")]
    private static partial Regex ErrorMessage();
}

public sealed class HubRefusedException(int status) : Exception($"The hub refused the connection with HTTP {status}.")
{
    public int Status => status;
}
