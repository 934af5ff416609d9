namespace CareTwin.Journey.Wording;

/// <summary>A count with its noun as people write it ("1 day", "3 days"): one rule for the model's sentences and the pages.</summary>
public static class Quantity
{
    /// <param name="many">The plural when it is not <paramref name="one"/> + "s" ("children", "worries").</param>
    public static string Of(int count, string one, string? many = null) => $"{count} {(count == 1 ? one : many ?? one + "s")}";
}
