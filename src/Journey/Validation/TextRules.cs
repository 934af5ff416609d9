using CareTwin.Journey.Decisions;

namespace CareTwin.Journey.Validation;

/// <summary>
/// Checks free text before it reaches the journal: not blank, within its limit, and free of
/// control and bidirectional-override characters (which corrupt logs and can disguise text).
/// Blank text is always refused; an optional field is left out by passing null.
/// </summary>
public static class TextRules
{
    public static Refusal? Required(string? value, string field, TextKind kind) =>
        value is null ? Refusal.Invalid(field, $"{field} is required.") : Check(value, field, kind);

    public static Refusal? Optional(string? value, string field, TextKind kind) =>
        value is null ? null : Check(value, field, kind);

    /// <summary>The text as stored: surrounding whitespace removed.</summary>
    public static string Clean(string value) => value.Trim();

    public static string? CleanOptional(string? value) => value?.Trim();

    private static Refusal? Check(string value, string field, TextKind kind)
    {
        var text = value.Trim();
        if (text.Length == 0)
            return Refusal.Invalid(field, $"{field} must not be blank.");
        var max = InputLimits.MaxLength(kind);
        if (text.Length > max)
            return Refusal.Invalid(field, $"{field} is {text.Length} characters long; the limit is {max}.");
        var lineBreaksAllowed = InputLimits.AllowsLineBreaks(kind);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (lineBreaksAllowed && c is '\n' or '\r' or '\t')
                continue;
            if (char.IsControl(c) || IsDirectionOverride(c))
                return Refusal.Invalid(field, $"{field} contains a control character at position {i + 1}.");
        }
        return null;
    }

    private static bool IsDirectionOverride(char c) => c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
