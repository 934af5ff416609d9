using System.Reflection;
using System.Text.Json;
using CareTwin.Journey.Serialization;

namespace CareTwin.Web.Live;

// What the pages send with an action. Everything arrives as text so a bad value is refused naming its field
// (e.g. "targetDate: targetDate must be a date like 2026-12-31.") instead of failing to bind.
// RequestId is the browser's id for one submission: sending it again (after a reconnect) changes nothing.

public interface IActionInput
{
    string? RequestId { get; }
}

public sealed record RaiseBlockerInput(
    string? RequestId, string? TransitionId, string? Category, string? OwningService, string? NamedOwner,
    string? ProfessionalText, string? FamilyText, string? TargetDate, bool Sensitive) : IActionInput;

public sealed record BlockerProgressInput(string? RequestId, string? BlockerId, string? Status) : IActionInput;

public sealed record ResolveBlockerInput(string? RequestId, string? BlockerId, string? Note, string? FamilyText) : IActionInput;

public sealed record ReassignBlockerInput(string? RequestId, string? BlockerId, string? OwningService, string? NamedOwner, string? Reason) : IActionInput;

/// <summary>One "starts after" link: <see cref="StartsAfter"/> false takes it away.</summary>
public sealed record BlockerStartsAfterInput(string? RequestId, string? BlockerId, string? AfterBlockerId, bool StartsAfter) : IActionInput;

public sealed record EscalateBlockerInput(string? RequestId, string? BlockerId, string? Reason) : IActionInput;

public sealed record AcknowledgeEscalationInput(string? RequestId, string? BlockerId, string? Note) : IActionInput;

public sealed record ChangeStageInput(string? RequestId, string? TransitionId, string? Stage, string? Reason, string? Destination) : IActionInput;

public sealed record FamilyMessageInput(string? RequestId, string? Text, string? BlockerId) : IActionInput;

/// <summary>Marking a family's concern as read, or closing it.</summary>
public sealed record ConcernInput(string? RequestId, string? MessageId) : IActionInput;

public sealed record ConcernAnswerInput(string? RequestId, string? MessageId, string? Text) : IActionInput;

/// <summary>What became of an action: the child's version after it, and what it created (e.g. the new blocker's id).</summary>
/// <param name="AlreadyDone">The same request had been applied before; nothing changed.</param>
public sealed record ActionDone(long Version, string? CreatedId, bool AlreadyDone);

/// <summary>
/// Reads a hub call's arguments, which arrive as whatever JSON the client sent: a value of the wrong kind (a number
/// where an id or an action's fields belong, a list, null) is refused naming the argument or field, like any bad
/// value, rather than failing to bind with an error that names nothing.
/// </summary>
public static class HubArguments
{
    /// <returns>Null when the argument is null or missing.</returns>
    public static string? Text(JsonElement value, string field) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => throw ActionCommands.Refused(field, $"{field} must be text, not {KindOf(value)}."),
    };

    /// <summary>A whole number (the model checks its range).</summary>
    public static int Whole(JsonElement value, string field) => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
        ? number
        : throw ActionCommands.Refused(field, $"{field} must be a whole number, not {(value.ValueKind == JsonValueKind.Number ? "a fraction or a number that large" : KindOf(value))}.");

    public static bool Flag(JsonElement value, string field) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw ActionCommands.Refused(field, $"{field} must be true or false, not {KindOf(value)}."),
    };

    /// <summary>An action's fields: an object whose values have the input's types (the model checks what they say).</summary>
    public static TInput Input<TInput>(JsonElement value)
        where TInput : class, IActionInput
    {
        if (value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined) throw ActionCommands.Refused("input", "input is required.");
        if (value.ValueKind != JsonValueKind.Object) throw ActionCommands.Refused("input", $"input must be an object of the action's fields, not {KindOf(value)}.");
        try
        {
            return value.Deserialize<TInput>(JourneyJson.Options)!;
        }
        catch (JsonException wrongType)
        {
            var field = wrongType.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : "input";
            var type = typeof(TInput).GetProperty(field, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)?.PropertyType;
            throw ActionCommands.Refused(field, $"{field} must be {(type == typeof(bool) ? "true or false" : "text")}.");
        }
    }

    private static string KindOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => "a number",
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "an object",
        JsonValueKind.True or JsonValueKind.False => "true or false",
        JsonValueKind.String => "text",
        _ => "nothing",
    };
}
