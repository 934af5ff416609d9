using CareTwin.Journey.Decisions;

namespace CareTwin.Journey.Validation;

/// <summary>
/// Identifiers are compared exactly (they make pushes idempotent), so unlike free text they are
/// never trimmed: surrounding whitespace is refused instead of silently changing the key.
/// </summary>
public static class ReferenceRules
{
    public static Refusal? Exact(string? value, string field) =>
        TextRules.Required(value, field, TextKind.Reference)
        ?? (value!.Trim().Length != value.Length
            ? Refusal.Invalid(field, $"{field} must not start or end with whitespace.")
            : null);
}
