using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace CareTwin.Journey.Journal;

/// <summary>
/// The key under which a change is remembered so a repeated push is a no-op: the first 128 bits of the SHA-256 of
/// <c>source system + "\n" + external id</c> (the line feed cannot occur in either part because text validation
/// refuses control characters, so the pair is unambiguous). 16 bytes a key instead of the two strings; a chance
/// collision, which would drop a legitimate update as a duplicate, has odds of about n²/2¹²⁹ for n keys, and a
/// crafted one needs a SHA-256 collision.
/// </summary>
public static class IdempotencyKey
{
    // Above this the text is hashed from the heap; validated references are far shorter.
    private const int StackLimit = 512;

    public static UInt128 Of(string sourceSystem, string externalId)
    {
        var length = sourceSystem.Length + 1 + externalId.Length;
        Span<char> text = length <= StackLimit ? stackalloc char[length] : new char[length];
        sourceSystem.CopyTo(text);
        text[sourceSystem.Length] = '\n';
        externalId.CopyTo(text[(sourceSystem.Length + 1)..]);
        return OfText(text);
    }

    public static UInt128 Of(Provenance provenance) => Of(provenance.SourceSystem, provenance.ExternalId);

    /// <summary>The key of the text <c>source system + "\n" + external id</c>, the form snapshots held before digests.</summary>
    internal static UInt128 OfText(ReadOnlySpan<char> text)
    {
        var byteCount = Encoding.UTF8.GetByteCount(text);
        Span<byte> utf8 = byteCount <= StackLimit * 3 ? stackalloc byte[byteCount] : new byte[byteCount];
        Encoding.UTF8.GetBytes(text, utf8);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8, hash);
        return BinaryPrimitives.ReadUInt128BigEndian(hash);
    }
}
