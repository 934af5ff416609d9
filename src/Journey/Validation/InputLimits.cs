namespace CareTwin.Journey.Validation;

/// <summary>What a piece of text is, which decides its length limit and whether it may span lines.</summary>
public enum TextKind
{
    /// <summary>A person's, place's or service's name.</summary>
    Name,
    /// <summary>An identifier: ids, source systems, external ids, keys.</summary>
    Reference,
    /// <summary>Text written for professionals (may contain line breaks).</summary>
    ProfessionalText,
    /// <summary>Plain-language text a family reads or writes (may contain line breaks).</summary>
    FamilyText,
}

/// <summary>Every input limit of the model, in one place.</summary>
public static class InputLimits
{
    public const int NameLength = 200;
    public const int ReferenceLength = 200;
    public const int ProfessionalTextLength = 2_000;
    public const int FamilyTextLength = 1_000;

    public static readonly TimeSpan ShortestAppointment = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan LongestAppointment = TimeSpan.FromHours(12);

    /// <summary>CareTwin follows children and young people up to 25, when the last transition (to adult services) ends.</summary>
    public const int OldestAgeYears = 25;

    /// <summary>How far ahead a target date or appointment may be planned, and how far back an appointment may be recorded.</summary>
    public const int PlanningHorizonYears = 5;

    /// <summary>What a family may tell us about getting to appointments (<see cref="Family.FamilyTravel"/>): beyond these is a typing slip.</summary>
    public const int LongestTravelMinutes = 600;
    public const decimal DearestTrip = 500m;
    public const decimal DearestParking = 100m;
    public const decimal MostHoursOffWork = 24m;

    public const int ShortestSlaDays = 1;
    public const int LongestSlaDays = 365;
    public static readonly TimeSpan ShortestAcknowledgementWindow = TimeSpan.FromHours(1);
    public static readonly TimeSpan LongestAcknowledgementWindow = TimeSpan.FromDays(30);

    public static int MaxLength(TextKind kind) => kind switch
    {
        TextKind.Name => NameLength,
        TextKind.Reference => ReferenceLength,
        TextKind.ProfessionalText => ProfessionalTextLength,
        TextKind.FamilyText => FamilyTextLength,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static bool AllowsLineBreaks(TextKind kind) => kind is TextKind.ProfessionalText or TextKind.FamilyText;
}
