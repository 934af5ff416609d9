using System.Collections.Immutable;

namespace CareTwin.Journey.Transitions;

/// <param name="FamilyTitle">The stage's name for the family: what is happening, not the professionals' term.</param>
/// <param name="FamilyExplanation">What this stage means, in plain language for the family.</param>
public sealed record StageDefinition(string Key, string Title, string FamilyTitle, string FamilyExplanation);

/// <param name="FamilyTitle">The milestone in plain language for the family.</param>
public sealed record MilestoneDefinition(string Key, string Title, string FamilyTitle);

/// <summary>A kind of transition: its ordered stages and its milestone checklist.</summary>
/// <param name="DelayClockStage">
/// Reaching this stage starts the delay clock (hospital discharge: medically optimised sets the
/// discharge-ready date); null when the kind has no delay clock.
/// </param>
/// <param name="RequiresDestination">Whether reaching the final stage must say where the child went.</param>
public sealed record TransitionDefinition(
    TransitionKind Kind,
    string Title,
    string FamilyTitle,
    ImmutableArray<StageDefinition> Stages,
    ImmutableArray<MilestoneDefinition> Milestones,
    string? DelayClockStage,
    bool RequiresDestination)
{
    public StageDefinition FirstStage => Stages[0];

    public StageDefinition FinalStage => Stages[^1];

    /// <summary>The stage's position, or -1 if the kind has no such stage.</summary>
    public int IndexOf(string? stageKey)
    {
        for (var i = 0; i < Stages.Length; i++)
        {
            if (Stages[i].Key == stageKey)
                return i;
        }
        return -1;
    }

    public StageDefinition? FindStage(string? stageKey) => Stages.FirstOrDefault(s => s.Key == stageKey);

    public MilestoneDefinition? FindMilestone(string? milestoneKey) => Milestones.FirstOrDefault(m => m.Key == milestoneKey);
}
