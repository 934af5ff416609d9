using CareTwin.Journey.Blockers;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Services;
using CareTwin.Journey.Validation;

namespace CareTwin.Journey.Meetings;

/// <summary>The child's rules for a decision agreed at a meeting.</summary>
internal static class MeetingDecisions
{
    public static Decision Record(RecordMeetingDecision c, Provenance stamp, DecisionContext context)
    {
        if (stamp.Meeting is null)
            return Refusal.Invalid("origin.meeting", "A meeting decision is recorded at a meeting: say which meeting agreed it.");
        if (string.IsNullOrWhiteSpace(c.Decision))
            return Refusal.Invalid("decision", "Enter the decision.");
        ServiceKey? owner = null;
        if (c.OwningService is not null)
        {
            if (!context.Services.TryResolve(c.OwningService, "owningService", out var profile, out var badService))
                return badService;
            owner = profile.Key;
        }
        var refusal = TextRules.Required(c.Decision, "decision", TextKind.ProfessionalText)
            ?? (c.TargetDate is { } target ? BlockerDecisions.TargetDateRule(target, context) : null);
        if (refusal is not null)
            return refusal;
        return Decision.Accept(new MeetingDecisionRecorded(stamp, TextRules.Clean(c.Decision), owner, c.TargetDate));
    }
}
