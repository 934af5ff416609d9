using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using CareTwin.Grains.Access;
using CareTwin.Journey.Services;
using CareTwin.Journey.Validation;
using Microsoft.Extensions.Options;

namespace CareTwin.Api.Authentication;

/// <summary>The configured API keys, by hash: who a presented key belongs to, as the access policy's <see cref="Caller"/>.</summary>
public sealed class ApiKeyRegistry(IOptions<ApiOptions> options)
{
    private readonly FrozenDictionary<string, Caller> _callers = options.Value.Keys.ToFrozenDictionary(
        key => key.KeyHash.ToLowerInvariant(),
        key => Caller.ExternalSystem(key.System, key.DisplayName, key.Services, key.ManagesJourneys));

    public int Count => _callers.Count;

    public bool TryFind(string presentedKey, [NotNullWhen(true)] out Caller? caller)
    {
        caller = null;
        return presentedKey.Length is > 0 and <= ApiKey.MaxLength && _callers.TryGetValue(ApiKey.Hash(presentedKey), out caller);
    }
}

/// <summary>Refuses to start with keys that could not work or would be ambiguous; never prints a hash.</summary>
public sealed class ApiOptionsValidator : IValidateOptions<ApiOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiOptions options)
    {
        var problems = new List<string>();
        for (var i = 0; i < options.Keys.Count; i++)
        {
            var key = options.Keys[i];
            var at = $"Api:Keys:{i}";
            if (KeyRules.Identifier(key.System, "System") is not null)
                problems.Add($"{at}:System '{key.System}' must be 1-{KeyRules.MaxKeyLength} letters, digits, '-' or '_'.");
            if (TextRules.Required(key.DisplayName, "DisplayName", TextKind.Name) is not null)
                problems.Add($"{at}:DisplayName is required (at most {InputLimits.NameLength} characters).");
            if (key.KeyHash.Length != 64 || !key.KeyHash.All(char.IsAsciiHexDigit))
                problems.Add($"{at}:KeyHash must be the key's SHA-256 as 64 hex digits (never the key itself).");
            foreach (var service in key.Services.Where(s => !ServiceKey.TryParse(s, out _)))
                problems.Add($"{at}:Services '{service}' must be {ServiceKey.FormatDescription}.");
        }

        foreach (var system in options.Keys.GroupBy(k => k.System, StringComparer.Ordinal).Where(g => g.Count() > 1))
            problems.Add($"Api:Keys: system '{system.Key}' has more than one key; give each system one key.");
        if (options.Keys.GroupBy(k => k.KeyHash.ToLowerInvariant()).Any(g => g.Count() > 1))
            problems.Add("Api:Keys: two systems have the same KeyHash; every system needs its own key.");
        if (options.RateLimit.Burst < options.MaxIngestItems)
            problems.Add($"Api:RateLimit:Burst ({options.RateLimit.Burst}) must be at least Api:MaxIngestItems ({options.MaxIngestItems}), or a full batch could never be sent.");
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
