using CareTwin.Grains.Persistence;

namespace CareTwin.Bench.Storage;

[Alias("CareTwin.Bench.Storage.ILoadTwinGrain")]
public interface ILoadTwinGrain : IGrainWithStringKey
{
    /// <summary>Raises one update and returns the journal version once the update is durable.</summary>
    [Alias("Record")]
    Task<int> Record(int sequence);
}

/// <summary>An update the size of a real push (source system, external id, time, a line of text): about 150 bytes of JSON.</summary>
[GenerateSerializer, Immutable]
public sealed record LoadTwinUpdate(
    [property: Id(0)] string Source,
    [property: Id(1)] string ExternalId,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] string Note);

[GenerateSerializer]
public sealed class LoadTwinState
{
    [Id(0)]
    public int Updates { get; set; }

    [Id(1)]
    public string? LastExternalId { get; set; }
}

/// <summary>
/// A twin as the storage benchmark drives it: every call raises one event and awaits ConfirmEvents, so a call
/// completes only once its event is in the journal. It is journaled exactly as the child twins are
/// (<see cref="JournaledTwin{TState,TEvent}"/>: Orleans's custom-storage log consistency over CareTwin's journal,
/// a snapshot every <see cref="JournalStore.SnapshotInterval"/> events).
/// </summary>
[GrainType("bench-load-twin")]
public sealed class LoadTwinGrain(JournalStore journal) : JournaledTwin<LoadTwinState, LoadTwinUpdate>(journal), ILoadTwinGrain
{
    public async Task<int> Record(int sequence)
    {
        RaiseEvent(new LoadTwinUpdate("bench", $"{this.GetPrimaryKeyString()}-{sequence}", DateTimeOffset.UtcNow,
            "Ventilator delivered to the family home and checked by the equipment service"));
        await ConfirmEvents();
        return Version;
    }

    // The default goes through dynamic dispatch; the bench measures storage, not that.
    protected override void TransitionState(LoadTwinState state, LoadTwinUpdate update)
    {
        state.Updates++;
        state.LastExternalId = update.ExternalId;
    }
}
