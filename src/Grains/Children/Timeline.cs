using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Reflection;
using System.Text.Json.Serialization;
using CareTwin.Journey.Journal;

namespace CareTwin.Grains.Children;

/// <summary>One journal entry as the timeline shows it: who, what, when and from which system.</summary>
/// <param name="Kind">The event's stable name, as stored in the journal ("blocker-raised").</param>
public sealed record TimelineEntry(
    long Version,
    string Kind,
    DateTimeOffset At,
    Actor Who,
    string SourceSystem,
    string ExternalId,
    JourneyEvent Event)
{
    private static readonly FrozenDictionary<Type, string> Kinds = typeof(JourneyEvent)
        .GetCustomAttributes<JsonDerivedTypeAttribute>()
        .ToFrozenDictionary(a => a.DerivedType, a => (string)a.TypeDiscriminator!);

    public static TimelineEntry Of(long version, JourneyEvent journeyEvent)
    {
        var provenance = journeyEvent.Provenance;
        return new(version, Kinds[journeyEvent.GetType()], provenance.At, provenance.Actor, provenance.SourceSystem, provenance.ExternalId, journeyEvent);
    }
}

/// <param name="Version">The child's version when the page was read.</param>
/// <param name="NextAfterVersion">Pass as afterVersion for the next page; null when this page reaches the end.</param>
public sealed record TimelinePage(string ChildId, long Version, ImmutableArray<TimelineEntry> Entries, long? NextAfterVersion);
