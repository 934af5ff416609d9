using System.Text.RegularExpressions;

namespace CareTwin.Web.Live;

/// <summary>
/// A refusal of a page's action, said in the words of the form the person filled in. The model names its
/// command's fields ("professionalText must not be blank.") for the API and its documentation, which keep them;
/// the pages say what the person sees instead ("Enter what is in the way"), in the NHS style: "Enter …" for a
/// missing answer, "Choose …" for a missing choice, and otherwise the field's label in place of its name.
/// The hub error still starts with the field ("professionalText: …") so the page puts the message at that field.
/// </summary>
public static class FormWords
{
    /// <param name="Label">The field's label as the form shows it, to start a sentence.</param>
    /// <param name="Missing">What to say when nothing (or nothing usable) was given.</param>
    private sealed record Words(string Label, string Missing);

    private static readonly Words ProfessionalText = new("What is in the way", "Enter what is in the way");
    private static readonly Words NamedOwner = new("The named owner", "Enter the named owner's name");
    private static readonly Words TargetDate = new("The target date", "Enter the target date");
    private static readonly Words Category = new("The category", "Choose the category");

    // Per action (the hub method), the fields its form shows.
    private static readonly Dictionary<string, Dictionary<string, Words>> Forms = new(StringComparer.Ordinal)
    {
        ["RaiseBlocker"] = new()
        {
            ["category"] = Category,
            ["owningService"] = new("The owning service", "Choose the owning service"),
            ["namedOwner"] = NamedOwner,
            ["professionalText"] = ProfessionalText,
            ["familyText"] = new("What the family is told", "Enter what the family is told, or leave it empty"),
            ["targetDate"] = TargetDate,
        },
        ["ResolveBlocker"] = new()
        {
            ["note"] = new("How it was resolved", "Enter how it was resolved, or leave it empty"),
            ["familyText"] = new("The news for the family", "Enter the news for the family, or leave it empty"),
        },
        ["EscalateBlocker"] = new() { ["reason"] = new("The reason", "Enter a reason") },
        ["AcknowledgeEscalation"] = new() { ["note"] = new("The note", "Enter a note, or leave it empty") },
        ["ReassignBlocker"] = new()
        {
            ["owningService"] = new("The new owning service", "Choose the new owning service"),
            ["namedOwner"] = NamedOwner,
            ["reason"] = new("The reason for reassigning", "Enter a reason for reassigning"),
        },
        ["ChangeStage"] = new()
        {
            ["stage"] = new("The new stage", "Choose the new stage"),
            ["reason"] = new("The reason", "Enter a reason for stepping back a stage"),
            ["destination"] = new("The destination", "Choose where the child went when discharged"),
        },
        ["UpdateBlockerProgress"] = new() { ["status"] = new("The status", "Choose the status") },
        ["AddFamilyNote"] = new() { ["text"] = new("Your message", "Enter your message") },
        ["FlagConcern"] = new() { ["text"] = new("Your message", "Enter your message") },
        ["AnswerConcern"] = new() { ["text"] = new("Your answer to the family", "Enter your answer to the family") },
    };

    /// <summary>The refusal of <paramref name="action"/> on <paramref name="field"/>, as its form says it; unchanged for a field the form does not show.</summary>
    public static string Say(string action, string field, string message)
    {
        if (!Forms.TryGetValue(action, out var fields) || !fields.TryGetValue(field, out var words)) return message;
        if (Nothing(field).IsMatch(message) || message.TrimEnd('.') == words.Missing) return words.Missing;
        // A choice the form offers came back as something else, or (for a service) one already chosen.
        if (words.Missing.StartsWith("Choose", StringComparison.Ordinal))
            return message.Contains("already", StringComparison.Ordinal) && field == "owningService"
                ? "Choose a service other than the one that owns it now"
                : message.Contains("already at", StringComparison.Ordinal) ? "Choose a stage other than the one the journey is at now" : words.Missing;
        if (field == "targetDate" && message.Contains("is in the past", StringComparison.Ordinal)) return "The target date must be today or later";
        if (field == "targetDate" && message.Contains(" must be a date", StringComparison.Ordinal)) return "Enter the target date as a real date, for example 31 12 2026";
        if (message == "Stepping back a stage needs a reason.") return words.Missing;
        return message.StartsWith(field + " ", StringComparison.Ordinal) ? words.Label + message[field.Length..] : message;
    }

    private static Regex Nothing(string field) => new($"^{Regex.Escape(field)} (is required|must not be blank)\\.$", RegexOptions.CultureInvariant);
}
