using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using CareTwin.Journey.Serialization;

namespace CareTwin.Journey.Services;

/// <summary>
/// A service's (agency's) key: dot-separated lower-case kebab segments, at least two, like
/// <c>housing.newham</c> or <c>health.community-nursing.eastmarsh</c>.
/// </summary>
[JsonConverter(typeof(ServiceKeyJsonConverter))]
public sealed partial record ServiceKey
{
    public const int MaxLength = 100;

    private ServiceKey(string value) => Value = value;

    public string Value { get; }

    public override string ToString() => Value;

    public static bool TryParse(string? value, [NotNullWhen(true)] out ServiceKey? key)
    {
        key = value is { Length: > 0 and <= MaxLength } && Pattern().IsMatch(value) ? new ServiceKey(value) : null;
        return key is not null;
    }

    public static ServiceKey Parse(string value) =>
        TryParse(value, out var key) ? key : throw new FormatException($"'{value}' is not a service key like 'housing.newham'.");

    public const string FormatDescription = "a service key like 'housing.newham' (lower-case words joined by '-', at least two parts separated by '.')";

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*(\\.[a-z0-9]+(-[a-z0-9]+)*)+$")]
    private static partial Regex Pattern();
}
