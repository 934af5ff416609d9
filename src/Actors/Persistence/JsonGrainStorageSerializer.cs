using System.Text.Json;

namespace CareTwin.Actors.Runtime;

/// <summary>The one place grain state, journal events and snapshots become text and back.</summary>
internal sealed class JsonGrainStorageSerializer(JsonSerializerOptions options)
{
    public string Serialize<T>(T value) => JsonSerializer.Serialize(value, options);

    /// <summary>Never defaults silently: unreadable text or a JSON null is an error the caller reports with the grain's name.</summary>
    public T Deserialize<T>(string payload) =>
        JsonSerializer.Deserialize<T>(payload, options) ?? throw new JsonException($"The stored value is null, not a {typeof(T).Name}.");
}
