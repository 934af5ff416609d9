using System.ComponentModel.DataAnnotations;

namespace CareTwin.Api.Authentication;

/// <summary>The external API's keys and limits (configuration section <c>Api</c>).</summary>
public sealed class ApiOptions
{
    public const string SectionName = "Api";

    /// <summary>
    /// One entry per external system. Only each key's SHA-256 is configured, never the key. Read at start and again
    /// whenever a reloadable configuration source changes (appsettings.json); environment variables need a restart.
    /// </summary>
    public List<ApiKeyEntry> Keys { get; set; } = [];

    /// <summary>
    /// A JSON file of more key entries (<c>{"keys":[{...}]}</c>, the fields of <see cref="ApiKeyEntry"/>), checked
    /// every second and applied without a restart: a key removed from it stops working at once, open watches made
    /// with it included. A file that cannot be read or is not valid leaves the keys loaded before in use.
    /// Relative to the host's folder. See <see cref="ApiKeysFile"/>.
    /// </summary>
    public string? KeysFile { get; set; }

    /// <summary>Most items in one Ingest batch; a larger batch is refused whole (INVALID_ARGUMENT naming items).</summary>
    [Range(1, 10_000)]
    public int MaxIngestItems { get; set; } = 500;

    /// <summary>Watches one connection may hold open at once.</summary>
    [Range(1, 10_000)]
    public int MaxWatchesPerConnection { get; set; } = 16;

    /// <summary>Watches one API key may hold open at once, over all its connections.</summary>
    [Range(1, 100_000)]
    public int MaxWatchesPerKey { get; set; } = 64;

    /// <summary>The largest message, in bytes, a call may receive or send; a larger one ends the call with RESOURCE_EXHAUSTED.</summary>
    [Range(1024, int.MaxValue)]
    public int MaxMessageBytes { get; set; } = 4 * 1024 * 1024;

    public ApiRateLimitOptions RateLimit { get; set; } = new();

    /// <summary>Demo mode only: where generated demo keys are written (default: beside the SQLite database).</summary>
    public string? DemoKeysFile { get; set; }
}

/// <summary>
/// A token bucket per API key (and per client address for calls without a valid key): a call takes one token,
/// an Ingest batch one per item, and tokens come back at <see cref="PermitsPerSecond"/>.
/// </summary>
public sealed class ApiRateLimitOptions
{
    [Range(1, 10_000_000)]
    public int PermitsPerSecond { get; set; } = 200;

    /// <summary>The bucket's size: the most a key may send at once after a quiet spell. At least MaxIngestItems.</summary>
    [Range(1, 100_000_000)]
    public int Burst { get; set; } = 1_000;
}

/// <summary>An external system's API key, as configured.</summary>
public sealed class ApiKeyEntry
{
    /// <summary>The system's id: its source-system name in every journal entry and audit entry it causes (e.g. "epr-royal-thamesbank").</summary>
    public string System { get; set; } = "";

    public string DisplayName { get; set; } = "";

    /// <summary>SHA-256 of the key's UTF-8 bytes, 64 hex digits (<c>printf %s KEY | sha256sum</c>).</summary>
    public string KeyHash { get; set; } = "";

    /// <summary>
    /// A second key of the same system, valid alongside <see cref="KeyHash"/> while the system moves to it (a
    /// rotation without downtime): set it, let the system switch, then make it the KeyHash and remove this.
    /// </summary>
    public string? NextKeyHash { get; set; }

    /// <summary>The services (keys like "housing.eastmarsh") this system acts for.</summary>
    public List<string> Services { get; set; } = [];

    /// <summary>An EPR/PAS: may register children, move stages, see every journey and watch boards.</summary>
    public bool ManagesJourneys { get; set; }
}
