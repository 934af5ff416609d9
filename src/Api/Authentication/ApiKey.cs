using System.Security.Cryptography;
using System.Text;

namespace CareTwin.Api.Authentication;

/// <summary>API keys as CareTwin issues and recognises them: only their hash is ever kept.</summary>
public static class ApiKey
{
    /// <summary>Keys longer than this are refused before hashing; issued keys are 47 characters.</summary>
    public const int MaxLength = 256;

    private const string Prefix = "ctk_";

    /// <summary>A new key: 256 random bits, URL-safe, with a prefix that secret scanners can spot.</summary>
    public static string New() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The key's SHA-256 as 64 lower-case hex digits, as configured in Api:Keys:n:KeyHash.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>
    /// How logs name a key: "sha256:" and the first 8 hex digits of its hash (<c>printf %s KEY | sha256sum | cut -c1-8</c>).
    /// Enough to tell a system's two keys apart; it reveals nothing usable about the key.
    /// </summary>
    public static string Fingerprint(string keyHash) => "sha256:" + keyHash[..8].ToLowerInvariant();
}
