using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CareTwin.Testing;

/// <summary>
/// An API key made for one run, as docs/external-systems.md says to make one, and the host settings that
/// configure it by its SHA-256 only.
/// </summary>
public sealed class GeneratedApiKey
{
    private GeneratedApiKey(string key)
    {
        Key = key;
        KeyHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    /// <summary>What the client sends as x-api-key.</summary>
    public string Key { get; }

    /// <summary>What the host is configured with.</summary>
    public string KeyHash { get; }

    public static GeneratedApiKey New() =>
        new("ctk_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_'));

    /// <summary>Api__Keys__{index}__*: the key for <paramref name="system"/>, acting for <paramref name="service"/>.</summary>
    public Dictionary<string, string> Settings(string system, string displayName, string service, bool managesJourneys, int index = 0)
    {
        var prefix = $"Api__Keys__{index.ToString(CultureInfo.InvariantCulture)}__";
        return new Dictionary<string, string>
        {
            [prefix + "System"] = system,
            [prefix + "DisplayName"] = displayName,
            [prefix + "KeyHash"] = KeyHash,
            [prefix + "Services__0"] = service,
            [prefix + "ManagesJourneys"] = managesJourneys ? "true" : "false",
        };
    }
}
