using System.Text.Json;
using System.Text.Json.Serialization;

namespace CareTwin.Api.Authentication;

/// <summary>
/// Demo mode without configured keys: random keys for three invented systems of the demo region, so a newcomer
/// can call the API at once. The keys are written to one file readable by the host's user only (mode 600) and
/// kept there across restarts; only their hashes reach the running configuration, and nothing logs a key.
/// </summary>
public static class DemoApiKeys
{
    public const string FileName = "demo-api-keys.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private static readonly DemoSystem[] Systems =
    [
        new("epr-royal-thamesbank", "Royal Thamesbank EPR (demo)", ["health.ltv-team.royal-thamesbank"], ManagesJourneys: true),
        new("housing-eastmarsh", "Eastmarsh Council housing case system (demo)", ["housing.eastmarsh"], ManagesJourneys: false),
        new("social-care-eastmarsh", "Eastmarsh Council social care system (demo)", ["social-care.disabled-children.eastmarsh"], ManagesJourneys: false),
    ];

    /// <summary>The keys in <paramref name="path"/>, creating the file with new keys if there is none.</summary>
    public static IReadOnlyList<ApiKeyEntry> LoadOrCreate(string path)
    {
        var file = Read(path) ?? Create(path);
        return [.. file.Keys.Select(k => new ApiKeyEntry
        {
            System = k.System,
            DisplayName = k.DisplayName,
            KeyHash = ApiKey.Hash(k.Key),
            Services = [.. k.Services],
            ManagesJourneys = k.ManagesJourneys,
        })];
    }

    private static DemoKeyFile? Read(string path)
    {
        if (!File.Exists(path))
            return null;
        // A copied or restored file may have lost its mode; it holds secrets, so put it back.
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var file = JsonSerializer.Deserialize<DemoKeyFile>(File.ReadAllText(path), Json);
        return file is { Keys.Count: > 0 } && file.Keys.All(k => k.Key.Length is > 0 and <= ApiKey.MaxLength)
            ? file
            : throw new InvalidOperationException($"The demo API key file {path} is not readable as demo keys; delete it and CareTwin writes new ones.");
    }

    private static DemoKeyFile Create(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var file = new DemoKeyFile(
            "Demo API keys for the CareTwin synthetic demo region. Send one as the x-api-key metadata header. Delete this file for new keys.",
            [.. Systems.Select(s => new DemoKey(s.System, s.DisplayName, ApiKey.New(), s.Services, s.ManagesJourneys))]);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // 600 from the first byte, no window
        using (var stream = new FileStream(path, options))
            JsonSerializer.Serialize(stream, file, Json);
        return file;
    }

    private sealed record DemoSystem(string System, string DisplayName, string[] Services, bool ManagesJourneys);

    private sealed record DemoKeyFile(
        [property: JsonPropertyName("about")] string About,
        [property: JsonPropertyName("keys")] List<DemoKey> Keys);

    private sealed record DemoKey(string System, string DisplayName, string Key, string[] Services, bool ManagesJourneys);
}
