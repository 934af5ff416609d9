namespace CareTwin.Journey.Validation;

/// <summary>
/// How much one child's record may grow in a UK (Europe/London) calendar day, as a trust sets it (the host reads
/// the configuration section "Journey", e.g. <c>Journey__FamilyNotesPerDay</c>). Every family message is kept for
/// good and read by the care team, so without a cap one family's page, or one script, could fill a record without
/// end. A day's count restarts at London midnight. Unlike <see cref="InputLimits"/>, which are fixed, these are
/// settings; the decider consults them through <c>DecisionContext.Limits</c>.
/// </summary>
public sealed record JourneyLimits
{
    public const int DefaultFamilyNotesPerDay = 20;
    public const int DefaultFamilyConcernsPerDay = 10;

    /// <summary>The most a setting may allow: beyond it a cap bounds nothing a person would write.</summary>
    public const int MostPerDay = 1_000;

    public static JourneyLimits Default { get; } = new();

    /// <summary>Family notes ("something that matters to us") per child per day, from all of the child's family together.</summary>
    public int FamilyNotesPerDay { get; init; } = DefaultFamilyNotesPerDay;

    /// <summary>Concerns ("I am worried about something") per child per day, from all of the child's family together.</summary>
    public int FamilyConcernsPerDay { get; init; } = DefaultFamilyConcernsPerDay;

    /// <summary>What is wrong with these settings, one line per setting, named as in configuration (empty when none).</summary>
    public IReadOnlyList<string> Problems(string section)
    {
        var problems = new List<string>();
        if (FamilyNotesPerDay is < 1 or > MostPerDay)
            problems.Add($"{section}:{nameof(FamilyNotesPerDay)} is {FamilyNotesPerDay}; it must be from 1 to {MostPerDay}.");
        if (FamilyConcernsPerDay is < 1 or > MostPerDay)
            problems.Add($"{section}:{nameof(FamilyConcernsPerDay)} is {FamilyConcernsPerDay}; it must be from 1 to {MostPerDay}.");
        return problems;
    }
}
