using System.Collections.Immutable;
using CareTwin.Grains.Model.Children;

namespace CareTwin.Grains.Model.Demo;

/// <summary>
/// Generates a synthetic demo region. Pure and deterministic: the same seed and time give the
/// same region. Children's histories end at <c>now</c>, so their delays are live from then on.
/// </summary>
public static class DemoRegionGenerator
{
    public const int DefaultChildren = 300;
    public const int MaxChildren = 100_000;

    public static DemoRegion Generate(int seed, DateTimeOffset now, int children = DefaultChildren)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(children);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(children, MaxChildren);
        var nhsNumbers = TestRangeNhsNumbers(seed).GetEnumerator();
        var scripts = ImmutableArray.CreateBuilder<DemoChild>(children);
        for (var i = 0; i < children; i++)
        {
            nhsNumbers.MoveNext();
            scripts.Add(new DemoChildScript(seed, i, now, nhsNumbers.Current).Build());
        }
        return new DemoRegion(seed, now, DemoAgencies.RegionKey, DemoAgencies.RegionName,
            DemoAgencies.Hospitals, DemoAgencies.Services, scripts.MoveToImmutable());
    }

    /// <summary>
    /// Distinct valid NHS numbers from the 999 test range (never issued to patients), starting at
    /// a seed-dependent point and skipping the nine-digit prefixes that have no valid check digit.
    /// </summary>
    internal static IEnumerable<string> TestRangeNhsNumbers(int seed)
    {
        const int span = 1_000_000;
        var start = (int)((uint)seed % (span / 2));
        for (var offset = 0; offset < span; offset++)
        {
            var firstNine = $"999{(start + offset) % span:D6}";
            if (NhsNumber.CheckDigitFor(firstNine) is { } check)
                yield return firstNine + check;
        }
    }
}
