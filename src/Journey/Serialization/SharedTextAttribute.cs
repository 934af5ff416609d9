using System.Text.Json;
using System.Text.Json.Serialization;

namespace CareTwin.Journey.Serialization;

/// <summary>
/// Marks a string from a small vocabulary that every twin repeats (a source system, an id the decider numbers like
/// <c>appointment-3</c>): it is read as one shared instance (<see cref="SharedValues{T}"/>). Not for free text or
/// external ids, which rarely repeat and would only fill the pool.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class SharedTextAttribute() : JsonConverterAttribute(typeof(SharedTextJsonConverter));

public sealed class SharedTextJsonConverter : JsonConverter<string>
{
    private static readonly SharedValues<string> Texts = new(text => text);

    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Texts.Read(ref reader);

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
