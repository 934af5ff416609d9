using System.Collections.Immutable;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Services;

namespace CareTwin.Journey.Demo;

public sealed record DemoHospital(string Key, string Name);

/// <summary>A command and the moment it happens: replay it with <c>DecisionContext.Now = At</c>.</summary>
public sealed record TimedCommand(DateTimeOffset At, JourneyCommand Command);

/// <summary>One synthetic child's history as commands in time order (all at or before the generation time).</summary>
public sealed record DemoChild(string ChildId, string HospitalKey, ImmutableArray<TimedCommand> Commands);

/// <summary>
/// A synthetic region: service profiles to register first, then each child's commands, which
/// the grains replay through the same rules as live traffic. Every name is invented; every NHS
/// number is a valid number from the 999 test range.
/// </summary>
public sealed record DemoRegion(
    int Seed,
    DateTimeOffset GeneratedFor,
    string RegionKey,
    string RegionName,
    ImmutableArray<DemoHospital> Hospitals,
    ImmutableArray<ServiceProfile> Services,
    ImmutableArray<DemoChild> Children)
{
    public ServiceDirectory ServiceDirectory() => new(Services);
}
