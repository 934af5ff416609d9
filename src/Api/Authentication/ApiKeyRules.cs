using CareTwin.Journey.Services;
using CareTwin.Journey.Validation;
using Microsoft.Extensions.Options;

namespace CareTwin.Api.Authentication;

/// <summary>
/// What makes a set of key entries usable, wherever they come from (configuration or <see cref="ApiOptions.KeysFile"/>):
/// each problem is one sentence naming the entry and field, and never prints a hash or a key.
/// </summary>
public static class ApiKeyRules
{
    /// <summary>An entry and where it was configured ("Api:Keys:0", "/etc/caretwin/api-keys.json keys[0]").</summary>
    public readonly record struct Located(string At, ApiKeyEntry Key);

    /// <summary>
    /// Every problem with the entries on their own and together (a system or a key configured twice). A problem with
    /// no entry of its own (a system twice) starts "Api:Keys: ".
    /// </summary>
    public static List<string> Check(IReadOnlyList<Located> keys)
    {
        var problems = keys.SelectMany(Entry).ToList();
        problems.AddRange(Duplicates(keys));
        return problems;
    }

    private static IEnumerable<string> Entry(Located located)
    {
        var (at, key) = located;
        if (KeyRules.Identifier(key.System, "System") is not null)
            yield return $"{at}:System '{key.System}' must be 1-{KeyRules.MaxKeyLength} letters, digits, '-' or '_'.";
        if (TextRules.Required(key.DisplayName, "DisplayName", TextKind.Name) is not null)
            yield return $"{at}:DisplayName is required (at most {InputLimits.NameLength} characters).";
        if (!IsHash(key.KeyHash))
            yield return $"{at}:KeyHash must be the key's SHA-256 as 64 hex digits (never the key itself).";
        if (key.NextKeyHash is not null && !IsHash(key.NextKeyHash))
            yield return $"{at}:NextKeyHash must be the next key's SHA-256 as 64 hex digits (never the key itself), or left out.";
        if (key.Services is null)
            yield return $"{at}:Services must be a list of service keys (it may be empty).";
        foreach (var service in (key.Services ?? []).Where(s => !ServiceKey.TryParse(s, out _)))
            yield return $"{at}:Services '{service}' must be {ServiceKey.FormatDescription}.";
    }

    private static IEnumerable<string> Duplicates(IReadOnlyList<Located> keys)
    {
        foreach (var system in keys.Where(k => !string.IsNullOrEmpty(k.Key.System)).GroupBy(k => k.Key.System, StringComparer.Ordinal).Where(g => g.Count() > 1))
            yield return $"Api:Keys: system '{system.Key}' is configured more than once ({string.Join(", ", system.Select(k => k.At))}); give each system one entry, with NextKeyHash for its second key.";
        var hashes = keys
            .SelectMany(k => new[] { ($"{k.At}:KeyHash", k.Key.KeyHash), ($"{k.At}:NextKeyHash", k.Key.NextKeyHash) })
            .Where(h => IsHash(h.Item2))
            .GroupBy(h => h.Item2!.ToLowerInvariant());
        foreach (var same in hashes.Where(g => g.Count() > 1))
            yield return $"{string.Join(" and ", same.Select(h => h.Item1))} are the same key; every key must be its own.";
    }

    private static bool IsHash(string? hash) => hash is { Length: 64 } && hash.All(char.IsAsciiHexDigit);
}

/// <summary>
/// Api's limits that only make sense together. The keys are checked by <see cref="ApiKeyRegistry"/> instead, at start
/// and at every reload: a check here would also run in the options monitor on a configuration reload and throw there,
/// where a reload that is not valid must leave the keys in force and say so in one line.
/// </summary>
public sealed class ApiOptionsValidator : IValidateOptions<ApiOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiOptions options) =>
        options.RateLimit.Burst < options.MaxIngestItems
            ? ValidateOptionsResult.Fail($"Api:RateLimit:Burst ({options.RateLimit.Burst}) must be at least Api:MaxIngestItems ({options.MaxIngestItems}), or a full batch could never be sent.")
            : ValidateOptionsResult.Success;
}
