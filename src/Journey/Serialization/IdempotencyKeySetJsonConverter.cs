using System.Buffers.Binary;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using CareTwin.Journey.Journal;

namespace CareTwin.Journey.Serialization;

/// <summary>
/// Applied idempotency keys in a snapshot: <c>"sha256-128:"</c> and the ascending 16-byte big-endian digests in
/// unpadded base64url (22 characters a key, nothing to escape). Snapshots written before the digests hold a JSON
/// array of the key strings (<c>"source\nexternal id"</c>); those are read by hashing each, so old snapshots load
/// as they are and the next snapshot is written in the new form.
/// </summary>
public sealed class IdempotencyKeySetJsonConverter : JsonConverter<IdempotencyKeySet>
{
    private const int KeyBytes = 16;

    private static ReadOnlySpan<byte> Prefix => "sha256-128:"u8;

    public override IdempotencyKeySet Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.String => ReadDigests(reader.HasValueSequence || reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan),
            JsonTokenType.StartArray => ReadKeyStrings(ref reader),
            _ => throw new JsonException($"Applied keys must be a string of digests or an array of keys, not {reader.TokenType}."),
        };

    public override void Write(Utf8JsonWriter writer, IdempotencyKeySet value, JsonSerializerOptions options)
    {
        var keys = value.Sorted();
        var digests = new byte[keys.Length * KeyBytes];
        for (var i = 0; i < keys.Length; i++)
            BinaryPrimitives.WriteUInt128BigEndian(digests.AsSpan(i * KeyBytes), keys[i]);
        var text = new byte[Prefix.Length + Base64Url.GetEncodedLength(digests.Length)];
        Prefix.CopyTo(text);
        Base64Url.EncodeToUtf8(digests, text.AsSpan(Prefix.Length));
        writer.WriteStringValue(text);
    }

    private static IdempotencyKeySet ReadDigests(ReadOnlySpan<byte> text)
    {
        if (!text.StartsWith(Prefix))
            throw new JsonException("Applied keys are not in a known form (expected \"sha256-128:\").");
        var encoded = text[Prefix.Length..];
        var digests = new byte[Base64Url.GetMaxDecodedLength(encoded.Length)];
        if (Base64Url.DecodeFromUtf8(encoded, digests, out _, out var written) != System.Buffers.OperationStatus.Done || written % KeyBytes != 0)
            throw new JsonException("Applied keys are not whole 16-byte digests in base64url.");
        var keys = new UInt128[written / KeyBytes];
        for (var i = 0; i < keys.Length; i++)
            keys[i] = BinaryPrimitives.ReadUInt128BigEndian(digests.AsSpan(i * KeyBytes));
        try
        {
            return IdempotencyKeySet.FromSorted(keys);
        }
        catch (ArgumentException ex)
        {
            throw new JsonException($"Applied keys: {ex.Message}", ex);
        }
    }

    private static IdempotencyKeySet ReadKeyStrings(ref Utf8JsonReader reader)
    {
        var keys = new List<UInt128>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
                throw new JsonException($"An applied key must be a string, not {reader.TokenType}.");
            keys.Add(IdempotencyKey.OfText(reader.GetString()));
        }
        return IdempotencyKeySet.FromKeys(keys);
    }
}
