using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CareTwin.Api.Authentication;

/// <summary>
/// The keys file (<see cref="ApiOptions.KeysFile"/>): JSON with the fields of <see cref="ApiKeyEntry"/>, names in any
/// case, <c>//</c> comments allowed, an unknown field refused (a misspelt <c>nextKeyHash</c> must not pass silently):
/// <code>{ "keys": [ { "system": "...", "displayName": "...", "keyHash": "...", "nextKeyHash": "...", "services": ["..."], "managesJourneys": false } ] }</code>
/// It holds hashes only, never a key. Read whole each time; acted on only when its bytes change.
/// </summary>
public sealed class ApiKeysFile(string path)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The SHA-256 of the bytes last read ("missing" when there was no file), good or not.</summary>
    private string? _lastSeen;

    public string Path { get; } = path;

    /// <summary>What a read found: the entries with where each is, or one line saying what is wrong.</summary>
    public sealed record Reading(IReadOnlyList<ApiKeyRules.Located>? Keys, string? Problem);

    /// <summary>The file as it is now; null when it is exactly as it was at the last read.</summary>
    public Reading? ReadIfChanged()
    {
        byte[]? content;
        try
        {
            content = File.ReadAllBytes(Path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            content = null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not remembered: it is read again at the next check, and says so again only if it still fails differently.
            return Remember($"unreadable:{e.GetType().Name}") ? new Reading(null, $"{Path} cannot be read: {e.Message}") : null;
        }

        if (content is null)
            return Remember("missing") ? new Reading(null, $"{Path} does not exist (write {{\"keys\": []}} for a file with no keys).") : null;
        return Remember(Convert.ToHexString(SHA256.HashData(content))) ? Parse(content) : null;
    }

    private bool Remember(string seen)
    {
        if (seen == _lastSeen)
            return false;
        _lastSeen = seen;
        return true;
    }

    private Reading Parse(byte[] content)
    {
        KeysFileContent? file;
        try
        {
            file = JsonSerializer.Deserialize<KeysFileContent>(content, Json);
        }
        catch (JsonException e)
        {
            // System.Text.Json's message names the path, line and position, and at most one character of the text.
            return new Reading(null, $"{Path} is not a keys file: {e.Message}");
        }

        if (file?.Keys is null)
            return new Reading(null, $"{Path} has no \"keys\" list (write {{\"keys\": []}} for a file with no keys).");
        var keys = new List<ApiKeyRules.Located>();
        foreach (var (i, key) in file.Keys.Index())
        {
            var at = $"{Path} keys[{i}]";
            if (key is null)
                return new Reading(null, $"{at} is null; every entry must be an object.");
            keys.Add(new ApiKeyRules.Located(at, key));
        }
        return new Reading(keys, null);
    }

    private sealed class KeysFileContent
    {
        [JsonPropertyName("keys")]
        public List<ApiKeyEntry?>? Keys { get; set; }
    }
}
