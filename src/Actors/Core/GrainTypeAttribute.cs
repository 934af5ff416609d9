namespace CareTwin.Actors;

/// <summary>
/// Names a grain class's type in grain ids and storage. Without it the name is the class name without its
/// "Grain" suffix, lower-cased (ChildGrain → "child"); set it explicitly for anything persisted.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class GrainTypeAttribute(string grainType) : Attribute
{
    public string GrainType { get; } = grainType;
}

/// <summary>How long an activation may sit idle before it is collected (per grain class).</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class CollectionAgeLimitAttribute : Attribute
{
    public double Days { get; init; }
    public double Hours { get; init; }
    public double Minutes { get; init; }
    public double Seconds { get; init; }

    /// <summary>Never collect for idleness.</summary>
    public bool AlwaysActive { get; init; }

    public TimeSpan Amount => AlwaysActive
        ? Timeout.InfiniteTimeSpan
        : TimeSpan.FromDays(Days) + TimeSpan.FromHours(Hours) + TimeSpan.FromMinutes(Minutes) + TimeSpan.FromSeconds(Seconds);
}
