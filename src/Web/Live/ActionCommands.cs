using System.Globalization;
using System.Text.Json;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Escalations;
using CareTwin.Journey.Family;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Transitions;
using Microsoft.AspNetCore.SignalR;

namespace CareTwin.Web.Live;

/// <summary>
/// Turns what a page sent into the journey command the twin decides: only the parsing of text into dates and
/// choices happens here (refused naming the field); every rule is the journey model's, as for gRPC.
/// </summary>
public static class ActionCommands
{
    public static JourneyCommand Raise(CommandOrigin origin, RaiseBlockerInput input) => new RaiseBlocker(
        origin, input.TransitionId!, Choice<BlockerCategory>(input.Category, "category"), Chosen(input.OwningService, "owningService"),
        Optional(input.NamedOwner), input.ProfessionalText!, Optional(input.FamilyText), Date(input.TargetDate, "targetDate"), input.Sensitive);

    public static JourneyCommand Progress(CommandOrigin origin, BlockerProgressInput input) =>
        new UpdateBlockerProgress(origin, input.BlockerId!, Status: Choice<BlockerStatus>(input.Status, "status"));

    public static JourneyCommand Resolve(CommandOrigin origin, ResolveBlockerInput input) =>
        new ResolveBlocker(origin, input.BlockerId!, Optional(input.Note), Optional(input.FamilyText));

    public static JourneyCommand Reassign(CommandOrigin origin, ReassignBlockerInput input) =>
        new ReassignBlocker(origin, input.BlockerId!, Chosen(input.OwningService, "owningService"), Optional(input.NamedOwner), input.Reason!);

    public static JourneyCommand StartsAfter(CommandOrigin origin, BlockerStartsAfterInput input) =>
        new SetBlockerStartsAfter(origin, input.BlockerId!, input.AfterBlockerId!, input.StartsAfter);

    public static JourneyCommand Escalate(CommandOrigin origin, EscalateBlockerInput input) => new EscalateBlocker(origin, input.BlockerId!, input.Reason!);

    public static JourneyCommand Acknowledge(CommandOrigin origin, AcknowledgeEscalationInput input) =>
        new AcknowledgeEscalation(origin, input.BlockerId!, Optional(input.Note));

    public static JourneyCommand ChangeStage(CommandOrigin origin, ChangeStageInput input) => new ChangeStage(
        origin, input.TransitionId!, input.Stage!, Optional(input.Reason),
        string.IsNullOrWhiteSpace(input.Destination) ? null : Choice<DischargeDestination>(input.Destination, "destination"));

    public static JourneyCommand FamilyNote(CommandOrigin origin, FamilyMessageInput input) => new AddFamilyNote(origin, input.Text!);

    public static JourneyCommand Concern(CommandOrigin origin, FamilyMessageInput input) => new FlagConcern(origin, input.Text!, Optional(input.BlockerId));

    public static JourneyCommand ReadConcern(CommandOrigin origin, ConcernInput input) => new AcknowledgeConcern(origin, input.MessageId!);

    public static JourneyCommand AnswerConcern(CommandOrigin origin, ConcernAnswerInput input) => new AnswerConcern(origin, input.MessageId!, input.Text!);

    public static JourneyCommand CloseConcern(CommandOrigin origin, ConcernInput input) => new CloseConcern(origin, input.MessageId!);

    /// <summary>The external id a person's request is recorded under: prefixed with the caller, so one user's request id can never stand for another's change.</summary>
    public static string ExternalIdOf(Grains.Access.Caller caller, string requestId) => $"{caller.Id}:{requestId}";

    /// <summary>A hub error the page shows against the named field: "field: message" (SignalR sends only a HubException's own message to the caller, not a subclass's).</summary>
    public static HubException Refused(string field, string message) => new($"{field}: {message}");

    /// <summary>The field and message of a <see cref="Refused"/> error; null for any other hub error.</summary>
    public static (string Field, string Message)? FieldOf(HubException refused) =>
        refused.Message.IndexOf(": ", StringComparison.Ordinal) is > 0 and var colon && !refused.Message[..colon].Contains(' ', StringComparison.Ordinal)
            ? (refused.Message[..colon], refused.Message[(colon + 2)..])
            : null;

    /// <summary>The key a choice is sent as (the JSON name, e.g. "housing-adaptation").</summary>
    public static string KeyOf<TEnum>(TEnum value) where TEnum : struct, Enum => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    // An empty optional box on a form means "not given", not "blank text".
    private static string? Optional(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    // A service left at "Choose…" is refused as not chosen, before the access policy is asked whose it is.
    private static string Chosen(string? key, string field) => string.IsNullOrWhiteSpace(key) ? throw Refused(field, $"{field} is required.") : key;

    private static DateOnly Date(string? text, string field) =>
        DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw Refused(field, $"{field} must be a date like 2026-12-31.");

    private static TEnum Choice<TEnum>(string? key, string field) where TEnum : struct, Enum =>
        Enum.GetValues<TEnum>().Where(v => KeyOf(v) == key).Cast<TEnum?>().FirstOrDefault()
            ?? throw Refused(field, $"{field} must be one of: {string.Join(", ", Enum.GetValues<TEnum>().Select(v => KeyOf(v)))}.");
}

