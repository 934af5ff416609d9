using CareTwin.Journey.Validation;
using Microsoft.Extensions.Configuration;

namespace CareTwin.Silo.Composition;

/// <summary>
/// The journey model's per-child daily caps from configuration section "Journey" (<c>Journey__FamilyNotesPerDay</c>,
/// <c>Journey__FamilyConcernsPerDay</c>); <see cref="JourneyLimits"/> holds their defaults. Every node of a cluster
/// must be given the same values: a child's twin may be served by any of them.
/// </summary>
public static class JourneySettings
{
    public const string SectionName = "Journey";

    /// <exception cref="InvalidOperationException">A cap is outside its range; the message names the setting.</exception>
    public static JourneyLimits Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var limits = configuration.GetSection(SectionName).Get<JourneyLimits>() ?? JourneyLimits.Default;
        if (limits.Problems(SectionName) is [var problem, ..])
            throw new InvalidOperationException(problem);
        return limits;
    }
}
