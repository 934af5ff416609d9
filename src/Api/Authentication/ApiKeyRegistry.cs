using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using CareTwin.Grains.Access;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace CareTwin.Api.Authentication;

/// <summary>
/// The API keys in force, by hash: who a presented key belongs to, as the access policy's <see cref="Caller"/>. Each
/// system has one or two keys (<see cref="ApiKeyEntry.KeyHash"/>, and <see cref="ApiKeyEntry.NextKeyHash"/> while
/// it rotates). The set is replaced whole when configuration reloads (appsettings.json) or the keys file changes;
/// a key that is gone, or whose system may now do something else, ends every watch opened with it. A reload that is
/// not valid changes nothing: the keys in force stay, and one error line says why.
/// </summary>
public sealed partial class ApiKeyRegistry : IDisposable
{
    /// <summary>How often the keys file is looked at; a key removed from it stops working within about this long.</summary>
    public static readonly TimeSpan FileCheckInterval = TimeSpan.FromSeconds(1);

    private const string ConfigurationSource = "configuration (Api:Keys)";

    private readonly IOptionsFactory<ApiOptions> _options;
    private readonly ILogger<ApiKeyRegistry> _logger;
    private readonly Lock _reloading = new();
    private readonly IDisposable _configurationChanges;
    private IReadOnlyList<ApiKeyRules.Located> _configured;
    private IReadOnlyList<ApiKeyRules.Located> _fromFile = [];
    private volatile FrozenDictionary<string, ApiKeyGrant> _grants;
    private volatile VerifiedKeys _verified = new(FrozenDictionary<string, ApiKeyGrant>.Empty);

    /// <summary>
    /// The last problem logged for configuration, so one change that fires several reloads (one per configuration file,
    /// and file watchers fire twice) says it once. The keys file needs none: it is acted on only when its bytes change.
    /// </summary>
    private string? _lastConfigurationProblem;

    /// <exception cref="OptionsValidationException">The configured keys (or Api's other settings) are not valid.</exception>
    /// <exception cref="InvalidOperationException">The keys file is missing or not valid, or repeats a configured system or key.</exception>
    public ApiKeyRegistry(IOptionsFactory<ApiOptions> options, IConfiguration configuration, IHostEnvironment environment, ILogger<ApiKeyRegistry> logger)
    {
        _options = options;
        _logger = logger;
        var initial = options.Create(Options.DefaultName);
        _configured = Locate(initial.Keys);
        if (ApiKeyRules.Check(_configured) is { Count: > 0 } configurationProblems)
            throw new OptionsValidationException(Options.DefaultName, typeof(ApiOptions), configurationProblems);
        if (initial.KeysFile is { Length: > 0 } path)
        {
            KeysFile = new ApiKeysFile(Path.GetFullPath(path, environment.ContentRootPath));
            var reading = KeysFile.ReadIfChanged()!;
            _fromFile = reading.Keys ?? throw new InvalidOperationException($"Api:KeysFile: {reading.Problem}");
            if (ApiKeyRules.Check([.. _configured, .. _fromFile]) is { Count: > 0 } fileProblems)
                throw new InvalidOperationException($"Api:KeysFile: {string.Join(" ", fileProblems)}");
        }

        _grants = Build(_configured.Concat(_fromFile), FrozenDictionary<string, ApiKeyGrant>.Empty);
        _verified = new VerifiedKeys(_grants);
        Log.Loaded(logger, _grants.Count, Systems(_grants), KeysFile is null ? ConfigurationSource : $"{ConfigurationSource} and {KeysFile.Path}");
        _configurationChanges = ChangeToken.OnChange(configuration.GetReloadToken, ReloadConfiguration);
    }

    /// <summary>The keys file, when Api:KeysFile names one.</summary>
    public ApiKeysFile? KeysFile { get; }

    /// <summary>Keys in force (a system rotating its key has two).</summary>
    public int Count => _grants.Count;

    public bool TryFind(string presentedKey, [NotNullWhen(true)] out ApiKeyGrant? grant)
    {
        grant = null;
        if (presentedKey.Length is 0 or > ApiKey.MaxLength)
            return false;
        // The keys in force and the keys seen valid under them, read together: a reload replaces both.
        var verified = _verified;
        if (verified.TryGet(presentedKey, out grant))
            return true;
        if (!verified.Grants.TryGetValue(ApiKey.Hash(presentedKey), out grant))
            return false;
        verified.Remember(presentedKey, grant);
        return true;
    }

    /// <summary>Applies the keys file if it changed since it was last read. Never throws: a problem is logged.</summary>
    public void CheckFile()
    {
        if (KeysFile is null)
            return;
        lock (_reloading)
        {
            try
            {
                if (KeysFile.ReadIfChanged() is not { } reading)
                    return;
                if (reading.Keys is null)
                    NotReloaded(KeysFile.Path, reading.Problem!);
                else
                    Apply(_configured, reading.Keys, KeysFile.Path);
            }
            catch (Exception e)
            {
                NotReloaded(KeysFile.Path, e.Message);
            }
        }
    }

    private void ReloadConfiguration()
    {
        lock (_reloading)
        {
            try
            {
                Apply(Locate(_options.Create(Options.DefaultName).Keys), _fromFile, ConfigurationSource);
            }
            catch (Exception e)
            {
                // OptionsValidationException names every setting at fault; binding errors name the setting too.
                NotReloaded(ConfigurationSource, e.Message);
            }
        }
    }

    private void Apply(IReadOnlyList<ApiKeyRules.Located> configured, IReadOnlyList<ApiKeyRules.Located> fromFile, string source)
    {
        var problems = ApiKeyRules.Check([.. configured, .. fromFile]);
        if (problems.Count > 0)
        {
            NotReloaded(source, string.Join(" ", problems));
            return;
        }

        _lastConfigurationProblem = null;

        var before = _grants;
        var after = Build(configured.Concat(fromFile), before);
        _configured = configured;
        _fromFile = fromFile;
        _grants = after;
        _verified = new VerifiedKeys(after);

        var added = after.Where(k => !before.TryGetValue(k.Key, out var old) || old.Lifetime != k.Value.Lifetime).Select(k => Describe(k.Value)).ToList();
        var ended = before.Where(k => !after.TryGetValue(k.Key, out var now) || now.Lifetime != k.Value.Lifetime).ToList();
        foreach (var (hash, grant) in ended)
            grant.Lifetime.End(after.ContainsKey(hash) ? ApiKeyEnding.Changed : ApiKeyEnding.Removed);
        var renamed = after.Count(k => before.TryGetValue(k.Key, out var old) && old.Lifetime == k.Value.Lifetime && old.Caller.DisplayName != k.Value.Caller.DisplayName);
        if (added.Count > 0 || ended.Count > 0 || renamed > 0)
            Log.Reloaded(_logger, source, after.Count, Systems(after),
                added.Count == 0 ? "none" : string.Join(", ", added),
                ended.Count == 0 ? "none" : string.Join(", ", ended.Select(k => Describe(k.Value))));
    }

    private void NotReloaded(string source, string problem)
    {
        if (source == ConfigurationSource)
        {
            if (problem == _lastConfigurationProblem)
                return;
            _lastConfigurationProblem = problem;
        }
        Log.NotReloaded(_logger, source, problem, _grants.Count);
    }

    /// <summary>
    /// A grant per key. A key already in force keeps its lifetime (its open watches go on) when its system may do the
    /// same as before; a new display name alone is taken up without ending anything.
    /// </summary>
    private static FrozenDictionary<string, ApiKeyGrant> Build(IEnumerable<ApiKeyRules.Located> keys, FrozenDictionary<string, ApiKeyGrant> before)
    {
        var grants = new Dictionary<string, ApiKeyGrant>(StringComparer.Ordinal);
        foreach (var (_, key) in keys)
        {
            var caller = Caller.ExternalSystem(key.System, key.DisplayName, key.Services, key.ManagesJourneys);
            foreach (var (hash, slot) in new[] { (key.KeyHash, nameof(ApiKeyEntry.KeyHash)), (key.NextKeyHash, nameof(ApiKeyEntry.NextKeyHash)) })
            {
                if (hash is null)
                    continue;
                var id = hash.ToLowerInvariant();
                var lifetime = before.TryGetValue(id, out var old) && MayDoTheSame(old.Caller, caller) ? old.Lifetime : new ApiKeyLifetime();
                grants[id] = new ApiKeyGrant(caller, ApiKey.Fingerprint(id), slot, lifetime);
            }
        }
        return grants.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static bool MayDoTheSame(Caller before, Caller now) =>
        before.Id == now.Id && before.ManagesJourneys == now.ManagesJourneys && before.Services.SequenceEqual(now.Services, StringComparer.Ordinal);

    private static IReadOnlyList<ApiKeyRules.Located> Locate(List<ApiKeyEntry> keys) =>
        [.. keys.Select((key, i) => new ApiKeyRules.Located($"{ApiOptions.SectionName}:{nameof(ApiOptions.Keys)}:{i}", key))];

    private static int Systems(FrozenDictionary<string, ApiKeyGrant> grants) => grants.Values.Select(g => g.Caller.Id).Distinct(StringComparer.Ordinal).Count();

    private static string Describe(ApiKeyGrant grant) => $"{grant.Caller.Id} {grant.KeyId} ({grant.Slot})";

    public void Dispose() => _configurationChanges.Dispose();

    /// <summary>
    /// Keys already found valid under one set of grants, so a system's every call need not hash its key again. Found by
    /// the process's randomised string hash, then compared in constant time; only valid keys are kept (at most one
    /// entry per grant), and a miss falls back to the SHA-256 lookup, so a clash of hashes only costs that lookup.
    /// </summary>
    private sealed class VerifiedKeys(FrozenDictionary<string, ApiKeyGrant> grants)
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<int, (string Key, ApiKeyGrant Grant)> _seen = new();

        public FrozenDictionary<string, ApiKeyGrant> Grants => grants;

        public bool TryGet(string presentedKey, [NotNullWhen(true)] out ApiKeyGrant? grant)
        {
            grant = null;
            if (!_seen.TryGetValue(presentedKey.GetHashCode(StringComparison.Ordinal), out var seen)
                || !System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                    System.Runtime.InteropServices.MemoryMarshal.AsBytes(presentedKey.AsSpan()), System.Runtime.InteropServices.MemoryMarshal.AsBytes(seen.Key.AsSpan())))
                return false;
            grant = seen.Grant;
            return true;
        }

        public void Remember(string presentedKey, ApiKeyGrant grant)
        {
            if (_seen.Count < grants.Count)
                _seen[presentedKey.GetHashCode(StringComparison.Ordinal)] = (presentedKey, grant);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "API keys loaded: {Keys} keys of {Systems} systems, from {Sources}")]
        public static partial void Loaded(ILogger logger, int keys, int systems, string sources);

        [LoggerMessage(2, LogLevel.Information, "API keys reloaded from {Source}: {Keys} keys of {Systems} systems in force; new or changed: {Added}; ended: {Ended}")]
        public static partial void Reloaded(ILogger logger, string source, int keys, int systems, string added, string ended);

        [LoggerMessage(3, LogLevel.Error, "API keys not reloaded from {Source}, the {Keys} keys in force stay: {Problem}")]
        public static partial void NotReloaded(ILogger logger, string source, string problem, int keys);
    }
}

/// <summary>A key in force: whom it authenticates, how logs name it, and how long it lasts.</summary>
/// <param name="KeyId">The key's fingerprint (<see cref="ApiKey.Fingerprint"/>), for logs; never the key.</param>
/// <param name="Slot">Where it is configured: KeyHash or NextKeyHash.</param>
public sealed record ApiKeyGrant(Caller Caller, string KeyId, string Slot, ApiKeyLifetime Lifetime);

/// <summary>Why a key stopped being valid for calls already made with it.</summary>
public enum ApiKeyEnding
{
    /// <summary>The key was removed (or replaced) in configuration: it no longer authenticates anything.</summary>
    Removed,
    /// <summary>The key still works, but its system's services or rights changed: what was opened under the old ones ends.</summary>
    Changed,
}

/// <summary>How long a key's calls may go on: ended by a reload that removes the key or changes what it may do.</summary>
public sealed class ApiKeyLifetime
{
    private readonly CancellationTokenSource _ended = new();
    private int _used;

    /// <summary>Cancelled when the key ends; watches opened with it end with it.</summary>
    public CancellationToken Ended => _ended.Token;

    public ApiKeyEnding? Ending { get; private set; }

    /// <summary>True once: the first call made with this key since it came into force.</summary>
    public bool FirstUse() => Interlocked.Exchange(ref _used, 1) == 0;

    internal void End(ApiKeyEnding ending)
    {
        Ending = ending;
        // The watches it ends run their endings on the thread pool, not on the reload's thread.
        _ = _ended.CancelAsync();
    }
}
