using System.Text.Json;
using CareTwin.Journey.Serialization;
using CareTwin.Storage;
using Orleans.Storage;
using InconsistentStateException = Orleans.Storage.InconsistentStateException;

namespace CareTwin.Grains.Persistence;

/// <summary>
/// Orleans grain state in CareTwin's store. CareTwin's own grains (boards, service ledgers, the directory, family
/// access) as JSON with the journey's options, so the rows a database already holds read back unchanged; Orleans's
/// own state (its stream subscriptions, see <see cref="Hosting.CareTwinSiloBuilderExtensions.KeepStreamSubscriptionsInStore"/>)
/// in Orleans's serialization, which alone knows those types. A stale ETag is Orleans's <see cref="InconsistentStateException"/>.
/// </summary>
internal sealed class StoredGrainState(IStorageProvider store, StoredGrainState.Format format) : Orleans.Storage.IGrainStorage
{
    public const string ProviderName = "Default";

    /// <summary>How a state becomes the text a row holds, and back.</summary>
    public abstract class Format
    {
        public abstract string Write<T>(T state);

        public abstract T Read<T>(string payload);
    }

    /// <summary>JSON with the journey's options: CareTwin's own grain states.</summary>
    public sealed class JourneyJsonFormat : Format
    {
        public override string Write<T>(T state) => JsonSerializer.Serialize(state, JourneyJson.Options);

        public override T Read<T>(string payload) => JsonSerializer.Deserialize<T>(payload, JourneyJson.Options) ?? throw new JsonException("The stored state is null.");
    }

    /// <summary>Orleans's binary serialization, as base64 text: for Orleans's internal states.</summary>
    public sealed class OrleansFormat(Orleans.Serialization.Serializer serializer) : Format
    {
        public override string Write<T>(T state) => Convert.ToBase64String(serializer.SerializeToArray(state));

        public override T Read<T>(string payload) => serializer.Deserialize<T>(Convert.FromBase64String(payload)) ?? throw new InvalidOperationException("The stored state is null.");
    }

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
            grainState.State = format.Read<T>(stored.Payload);
        }
        catch (Exception ex)
        {
            throw new StateDeserializationException(
                $"State '{stateName}' of {StoreKeys.Of(grainId)} could not be read as {typeof(T).Name}: {ex.Message}", ex);
        }
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var payload = format.Write(grainState.State);
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
