using System.Text.Json;
using CareTwin.Journey.Serialization;
using CareTwin.Storage;
using Orleans.Storage;
using InconsistentStateException = Orleans.Storage.InconsistentStateException;

namespace CareTwin.Grains.Persistence;

/// <summary>
/// Orleans grain state (boards, service ledgers, the directory, family access) in CareTwin's store, as JSON with
/// the journey's options: the rows a database already holds read back unchanged. A stale ETag is Orleans's
/// <see cref="InconsistentStateException"/>.
/// </summary>
internal sealed class StoredGrainState(IStorageProvider store) : Orleans.Storage.IGrainStorage
{
    public const string ProviderName = "Default";

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var stored = await store.ReadStateAsync(StoreKeys.Of(grainId), stateName, CancellationToken.None);
        if (stored is null)
            return;
        grainState.ETag = stored.ETag;
        grainState.RecordExists = stored.Payload is not null;
        if (stored.Payload is null)
            return;
        try
        {
            grainState.State = JsonSerializer.Deserialize<T>(stored.Payload, JourneyJson.Options)
                ?? throw new JsonException("The stored state is null.");
        }
        catch (Exception ex)
        {
            throw new StateDeserializationException(
                $"State '{stateName}' of {StoreKeys.Of(grainId)} could not be read as {typeof(T).Name}: {ex.Message}", ex);
        }
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var payload = JsonSerializer.Serialize(grainState.State, JourneyJson.Options);
        grainState.ETag = await Translate(() => store.WriteStateAsync(StoreKeys.Of(grainId), stateName, payload, grainState.ETag, CancellationToken.None));
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        grainState.ETag = await Translate(() => store.ClearStateAsync(StoreKeys.Of(grainId), stateName, grainState.ETag, CancellationToken.None));
        grainState.RecordExists = false;
    }

    private static async Task<string> Translate(Func<Task<string>> write)
    {
        try
        {
            return await write();
        }
        catch (Storage.InconsistentStateException ex)
        {
            throw new InconsistentStateException(ex.Message, ex.StoredEtag, ex.CurrentEtag, ex);
        }
    }
}
