using CareTwin.Journey.Decisions;

namespace CareTwin.Journey.Validation;

/// <summary>Format rules for the keys the model stores (child ids, hospital and region keys).</summary>
public static partial class KeyRules
{
    public const int MaxKeyLength = 100;

    /// <summary>An opaque id: letters, digits, '-' and '_' (safe in URLs, grain keys and logs).</summary>
    public static Refusal? Identifier(string? value, string field) =>
        ReferenceRules.Exact(value, field)
        ?? (value!.Length > MaxKeyLength || !IdentifierPattern().IsMatch(value)
            ? Refusal.Invalid(field, $"{field} must be 1-{MaxKeyLength} letters, digits, '-' or '_'.")
            : null);

    /// <summary>A lower-case kebab-case key such as <c>royal-thamesbank</c>.</summary>
    public static Refusal? Slug(string? value, string field) =>
        ReferenceRules.Exact(value, field)
        ?? (value!.Length > MaxKeyLength || !SlugPattern().IsMatch(value)
            ? Refusal.Invalid(field, $"{field} must be lower-case words joined by '-', like 'royal-thamesbank'.")
            : null);

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial System.Text.RegularExpressions.Regex IdentifierPattern();

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial System.Text.RegularExpressions.Regex SlugPattern();
}
