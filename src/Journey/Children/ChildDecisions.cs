using System.Collections.Immutable;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Validation;

namespace CareTwin.Journey.Children;

internal static class ChildDecisions
{
    public const int MaxCareTeam = 50;

    public static Decision Register(ChildJourney state, RegisterChild c, Provenance stamp, DecisionContext context)
    {
        if (state.IsRegistered)
            return Refusal.Precondition("childId", "This child is already registered.");
        if (KeyRules.Identifier(c.ChildId, "childId") is { } badId)
            return badId;
        if (!NhsNumber.TryParse(c.NhsNumber, out var nhsNumber, out var problem))
            return Refusal.Invalid("nhsNumber", problem);
        var refusal = TextRules.Required(c.GivenName, "givenName", TextKind.Name)
            ?? TextRules.Required(c.FamilyName, "familyName", TextKind.Name)
            ?? (c.DateOfBirth > context.Today
                ? Refusal.Invalid("dateOfBirth", $"dateOfBirth {c.DateOfBirth:yyyy-MM-dd} is in the future.")
                : null)
            ?? (c.DateOfBirth < context.Today.AddYears(-InputLimits.OldestAgeYears)
                ? Refusal.Invalid("dateOfBirth", $"dateOfBirth {c.DateOfBirth:yyyy-MM-dd} is more than {InputLimits.OldestAgeYears} years ago; CareTwin follows children and young people up to {InputLimits.OldestAgeYears}.")
                : null)
            ?? KeyRules.Slug(c.HospitalKey, "hospitalKey")
            ?? KeyRules.Slug(c.RegionKey, "regionKey")
            ?? CheckCareTeam(c.CareTeam);
        if (refusal is not null)
            return refusal;

        var careTeam = c.CareTeam.IsDefault
            ? ImmutableArray<CareTeamMember>.Empty
            : [.. c.CareTeam.Select(m => new CareTeamMember(TextRules.Clean(m.Name), TextRules.Clean(m.Role)))];
        return Decision.Accept(new ChildRegistered(
            stamp, c.ChildId, nhsNumber, TextRules.Clean(c.GivenName), TextRules.Clean(c.FamilyName),
            c.DateOfBirth, c.HospitalKey, c.RegionKey, careTeam));
    }

    private static Refusal? CheckCareTeam(ImmutableArray<CareTeamMember> team)
    {
        if (team.IsDefaultOrEmpty)
            return null;
        if (team.Length > MaxCareTeam)
            return Refusal.Invalid("careTeam", $"careTeam has {team.Length} members; the limit is {MaxCareTeam}.");
        for (var i = 0; i < team.Length; i++)
        {
            if (team[i] is null)
                return Refusal.Invalid($"careTeam[{i}]", $"careTeam[{i}] is required.");
            var refusal = TextRules.Required(team[i].Name, $"careTeam[{i}].name", TextKind.Name)
                ?? TextRules.Required(team[i].Role, $"careTeam[{i}].role", TextKind.Name);
            if (refusal is not null)
                return refusal;
        }
        return null;
    }
}
