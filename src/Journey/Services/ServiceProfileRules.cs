using CareTwin.Journey.Blockers;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Validation;

namespace CareTwin.Journey.Services;

/// <summary>Checks a service profile before a service twin accepts it.</summary>
public static class ServiceProfileRules
{
    public static Refusal? Check(ServiceProfile? profile)
    {
        if (profile is null)
            return Refusal.Invalid("profile", "profile is required.");
        if (profile.Key is null)
            return Refusal.Invalid("key", $"key must be {ServiceKey.FormatDescription}.");
        var refusal = TextRules.Required(profile.Name, "name", TextKind.Name)
            ?? (Enum.IsDefined(profile.Kind) ? null : Refusal.Invalid("kind", $"kind {(int)profile.Kind} is not a known agency kind."))
            ?? CheckSlaDays(profile.DefaultSlaDays, "defaultSlaDays")
            ?? CheckPhone(profile.Phone)
            ?? (profile.WardOf is null ? null : KeyRules.Slug(profile.WardOf, "wardOf"))
            ?? (profile.WardOf is not null && profile.Phone is null ? Refusal.Invalid("phone", "A ward needs a phone number for families to ring.") : null);
        if (refusal is not null)
            return refusal;
        foreach (var (category, days) in profile.SlaDays ?? [])
        {
            if (!Enum.IsDefined(category))
                return Refusal.Invalid("slaDays", $"slaDays has unknown category {(int)category}.");
            if (CheckSlaDays(days, $"slaDays[{BlockerCategories.Key(category)}]") is { } bad)
                return bad;
        }
        return CheckLadder(profile);
    }

    // Digits, spaces and a leading + only: it is shown to families as a number to ring, and as a tel: link.
    private static Refusal? CheckPhone(string? phone) =>
        phone is null || (phone.Length is >= 3 and <= 20 && System.Text.RegularExpressions.Regex.IsMatch(phone, "^\\+?[0-9][0-9 ]*[0-9]$"))
            ? null
            : Refusal.Invalid("phone", "phone must be a phone number of digits and spaces, like 020 7946 0101.");

    private static Refusal? CheckSlaDays(int days, string field) =>
        days is < InputLimits.ShortestSlaDays or > InputLimits.LongestSlaDays
            ? Refusal.Invalid(field, $"{field} must be between {InputLimits.ShortestSlaDays} and {InputLimits.LongestSlaDays} days.")
            : null;

    private static Refusal? CheckLadder(ServiceProfile profile)
    {
        if (profile.EscalationLadder.IsDefault)
            return Refusal.Invalid("escalationLadder", "escalationLadder is required.");
        for (var level = 1; level <= ServiceProfile.TopEscalationLevel; level++)
        {
            var field = $"escalationLadder[{level}]";
            var steps = profile.EscalationLadder.Count(s => s?.Level == level);
            if (steps != 1)
                return Refusal.Invalid(field, $"The escalation ladder needs exactly one contact for level {level}.");
            var step = profile.StepFor(level)!;
            var refusal = (step.Contact is null ? Refusal.Invalid($"{field}.contact", $"{field}.contact is required.") : null)
                ?? TextRules.Required(step.Contact?.Name, $"{field}.contact.name", TextKind.Name)
                ?? TextRules.Required(step.Contact?.Role, $"{field}.contact.role", TextKind.Name)
                ?? TextRules.Optional(step.Contact?.Email, $"{field}.contact.email", TextKind.Reference)
                ?? (step.AcknowledgeWithin < InputLimits.ShortestAcknowledgementWindow || step.AcknowledgeWithin > InputLimits.LongestAcknowledgementWindow
                    ? Refusal.Invalid($"{field}.acknowledgeWithin", $"{field}.acknowledgeWithin must be between {InputLimits.ShortestAcknowledgementWindow.TotalHours} hours and {InputLimits.LongestAcknowledgementWindow.TotalDays} days.")
                    : null);
            if (refusal is not null)
                return refusal;
        }
        if (profile.EscalationLadder.Length != ServiceProfile.TopEscalationLevel)
            return Refusal.Invalid("escalationLadder", "The escalation ladder has levels 1, 2 and 3 only.");
        return null;
    }
}
