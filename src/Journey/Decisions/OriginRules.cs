using CareTwin.Journey.Journal;
using CareTwin.Journey.Validation;

namespace CareTwin.Journey.Decisions;

/// <summary>Every command must say who sent it, from which system, under which external id.</summary>
internal static class OriginRules
{
    public static Refusal? Check(CommandOrigin? origin)
    {
        if (origin is null)
            return Refusal.Invalid("origin", "origin is required.");
        if (origin.Actor is null)
            return Refusal.Invalid("origin.actor", "origin.actor is required.");
        if (!Enum.IsDefined(origin.Actor.Role))
            return Refusal.Invalid("origin.actor.role", $"origin.actor.role {(int)origin.Actor.Role} is not a known role.");
        return ReferenceRules.Exact(origin.Actor.Id, "origin.actor.id")
            ?? TextRules.Required(origin.Actor.DisplayName, "origin.actor.displayName", TextKind.Name)
            ?? ReferenceRules.Exact(origin.SourceSystem, "origin.sourceSystem")
            ?? ReferenceRules.Exact(origin.ExternalId, "origin.externalId");
    }
}
