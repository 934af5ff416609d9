using System.Collections.Concurrent;
using System.Text.Json;

namespace CareTwin.Journey.Serialization;

/// <summary>
/// One instance per distinct value read from JSON, for values that every twin repeats (service keys, source systems,
/// generated ids): otherwise each twin holds its own copy of each, read afresh from every event. The values are
/// immutable, so sharing them changes nothing but memory. Bounded: past <see cref="Capacity"/> distinct values (or
/// for text longer than <see cref="LongestShared"/>) a value is read unshared, so odd input cannot grow it without
/// limit; nothing is evicted.
/// </summary>
internal sealed class SharedValues<T> where T : class
{
    private const int Capacity = 10_000;
    private const int LongestShared = 128;

    private readonly Func<string, T> _create;
    private readonly ConcurrentDictionary<string, T> _values = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, T>.AlternateLookup<ReadOnlySpan<char>> _byText;
    private int _count;

    /// <param name="create">Makes the value from its text; throws <see cref="JsonException"/> if the text is not one.</param>
    public SharedValues(Func<string, T> create)
    {
        _create = create;
        _byText = _values.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Reads the current string or property name token.</summary>
    public T Read(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName))
            throw new JsonException($"Expected a string, not {reader.TokenType}.");
        // The UTF-8 length bounds the text's length in chars.
        if ((reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length) > LongestShared)
            return _create(reader.GetString()!);
        Span<char> buffer = stackalloc char[LongestShared];
        var text = buffer[..reader.CopyString(buffer)];
        if (_byText.TryGetValue(text, out var shared))
            return shared;
        var key = new string(text);
        var value = _create(key);
        if (Volatile.Read(ref _count) >= Capacity)
            return value;
        shared = _values.GetOrAdd(key, value);
        if (ReferenceEquals(shared, value))
            Interlocked.Increment(ref _count);
        return shared;
    }
}
