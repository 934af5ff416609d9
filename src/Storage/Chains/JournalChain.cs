using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace CareTwin.Storage.Chains;

/// <summary>
/// The hash chain over every journal (a child's events, an audit trail): each entry stores the SHA-256 of the
/// hash stored with the entry before it and of its own key fields and payload, so an entry edited, removed or
/// slipped in by hand no longer matches. Pure: no I/O. Both stores compute exactly this (SQLite in the provider,
/// PostgreSQL in the function <c>caretwin_journal_hash</c> of schema step 0006), and the check recomputes it.
/// <para>
/// Canonical encoding of entry n of journal (T, K) with payload P, where T, K and P are UTF-8 and every length
/// and n are 4-byte unsigned big-endian integers:
/// <c>hash(n) = SHA-256( hash(n−1) ‖ len(T) ‖ T ‖ len(K) ‖ K ‖ n ‖ len(P) ‖ P )</c>,
/// with <c>hash(0)</c> = <see cref="Genesis"/> = SHA-256 of the ASCII text <c>CareTwin journal chain v1</c>.
/// The lengths keep fields from running into each other; the key fields make an entry's hash its own, so a row
/// moved to another journal or number does not match either.
/// </para>
/// </summary>
public static class JournalChain
{
    /// <summary>Bytes of one link (SHA-256).</summary>
    public const int HashSize = 32;

    /// <summary>The text whose SHA-256 is the link before every journal's first entry.</summary>
    public const string GenesisLabel = "CareTwin journal chain v1";

    private static readonly byte[] GenesisHash = SHA256.HashData(Encoding.ASCII.GetBytes(GenesisLabel));

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>The link before entry 1: SHA-256("CareTwin journal chain v1") = 75e1bcd0…529c1715</summary>
    public static ReadOnlySpan<byte> Genesis => GenesisHash;

    /// <summary>The hash entry <paramref name="version"/> of <paramref name="record"/> stores, after <paramref name="previous"/>.</summary>
    public static byte[] Hash(ReadOnlySpan<byte> previous, RecordKey record, int version, string payload)
    {
        var hash = new byte[HashSize];
        Hash(previous, record, version, payload, hash);
        return hash;
    }

    /// <summary>As <see cref="Hash(ReadOnlySpan{byte}, RecordKey, int, string)"/>, into <paramref name="destination"/> (32 bytes).</summary>
    public static void Hash(ReadOnlySpan<byte> previous, RecordKey record, int version, string payload, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(record.Type);
        ArgumentNullException.ThrowIfNull(record.Key);
        ArgumentNullException.ThrowIfNull(payload);
        var size = CanonicalSizeBound(record, payload);
        var rented = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            var length = WriteCanonical(previous, record, version, payload, rented);
            SHA256.HashData(rented.AsSpan(0, length), destination);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The exact bytes hashed for one entry (documentation and tests; <see cref="Hash(ReadOnlySpan{byte}, RecordKey, int, string)"/> does not allocate them).</summary>
    public static byte[] CanonicalBytes(ReadOnlySpan<byte> previous, RecordKey record, int version, string payload)
    {
        var buffer = new byte[CanonicalSizeBound(record, payload)];
        return buffer[..WriteCanonical(previous, record, version, payload, buffer)];
    }

    private static int CanonicalSizeBound(RecordKey record, string payload) =>
        HashSize + 16 + Utf8.GetMaxByteCount(record.Type.Length) + Utf8.GetMaxByteCount(record.Key.Length) + Utf8.GetMaxByteCount(payload.Length);

    private static int WriteCanonical(ReadOnlySpan<byte> previous, RecordKey record, int version, string payload, Span<byte> buffer)
    {
        if (previous.Length != HashSize)
            throw new ArgumentException($"A link is {HashSize} bytes, not {previous.Length}.", nameof(previous));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(version);
        previous.CopyTo(buffer);
        var at = HashSize;
        at = WriteField(record.Type, buffer, at);
        at = WriteField(record.Key, buffer, at);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[at..], (uint)version);
        at += 4;
        return WriteField(payload, buffer, at);
    }

    private static int WriteField(string value, Span<byte> buffer, int at)
    {
        var written = Utf8.GetBytes(value, buffer[(at + 4)..]);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[at..], (uint)written);
        return at + 4 + written;
    }
}
