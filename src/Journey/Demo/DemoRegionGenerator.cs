using System.Collections.Immutable;
using CareTwin.Journey.Children;

namespace CareTwin.Journey.Demo;

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
        var nhsNumbers = NhsNumber.TestRange((int)((uint)seed % 500_000)).GetEnumerator();
        var scripts = ImmutableArray.CreateBuilder<DemoChild>(children);
        for (var i = 0; i < children; i++)
        {
            nhsNumbers.MoveNext();
            scripts.Add(new DemoChildScript(seed, i, now, nhsNumbers.Current).Build());
        }
        return new DemoRegion(seed, now, DemoAgencies.RegionKey, DemoAgencies.RegionName,
            DemoAgencies.Hospitals, [.. DemoAgencies.Services, .. DemoAgencies.Wards], scripts.MoveToImmutable());
    }
}
