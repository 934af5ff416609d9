using System.Text.Json;
using System.Text.Json.Serialization;
using CareTwin.Journey.Children;
using CareTwin.Journey.Services;

namespace CareTwin.Journey.Serialization;

/// <summary>
/// A service key is a plain JSON string (and a plain property name as a dictionary key). Every twin refers to the
/// same few services, so each distinct key is read as one shared instance.
/// </summary>
public sealed class ServiceKeyJsonConverter : JsonConverter<ServiceKey>
{
    private static readonly SharedValues<ServiceKey> Keys = new(Parse);

    public override ServiceKey Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Keys.Read(ref reader);

    public override void Write(Utf8JsonWriter writer, ServiceKey value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);

    public override ServiceKey ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Keys.Read(ref reader);

    public override void WriteAsPropertyName(Utf8JsonWriter writer, ServiceKey value, JsonSerializerOptions options) =>
        writer.WritePropertyName(value.Value);

    private static ServiceKey Parse(string? text) =>
        ServiceKey.TryParse(text, out var key) ? key : throw new JsonException($"'{text}' is not a service key.");
}

/// <summary>An NHS number is stored as its ten digits; reading re-validates the check digit.</summary>
public sealed class NhsNumberJsonConverter : JsonConverter<NhsNumber>
{
    public override NhsNumber Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        NhsNumber.TryParse(reader.GetString(), out var number, out var problem) ? number : throw new JsonException(problem);

    public override void Write(Utf8JsonWriter writer, NhsNumber value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Digits);
}
