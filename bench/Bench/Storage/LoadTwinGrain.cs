using CareTwin.Actors;
using CareTwin.Actors.EventSourcing;

namespace CareTwin.Bench.Storage;

public interface ILoadTwinGrain : IGrainWithStringKey
{
    /// <summary>Raises one update and returns the journal version once the update is durable.</summary>
    Task<int> Record(int sequence);
}

/// <summary>An update the size of a real push (source system, external id, time, a line of text): about 150 bytes of JSON.</summary>
public sealed record LoadTwinUpdate(string Source, string ExternalId, DateTimeOffset At, string Note);

public sealed class LoadTwinState
{
    public int Updates { get; set; }

    public string? LastExternalId { get; set; }
}

/// <summary>
/// A twin as the storage benchmark drives it: every call raises one event and awaits ConfirmEvents, so a call
/// completes only once its event is in the journal. Snapshots follow the runtime's default interval, as in the host.
/// </summary>
public sealed class LoadTwinGrain : JournaledGrain<LoadTwinState, LoadTwinUpdate>, ILoadTwinGrain
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
