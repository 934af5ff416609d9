using System.Text.Json.Serialization;
using CareTwin.Journey.Serialization;

namespace CareTwin.Journey.Journal;

/// <summary>
/// The <see cref="IdempotencyKey"/>s a twin has applied, one per journal event, as sorted 128-bit digests: 16 bytes a
/// key (a set of the key strings held ~145 bytes each). Immutable (it crosses grain boundaries inside the twin);
/// <see cref="Add"/> returns a new set. Two sets are equal when they hold the same keys.
/// </summary>
/// <remarks>
/// A new key goes into a small sorted run, and the run is merged into the main array only when it passes
/// <c>max(32, √n)</c> keys: inserting into one sorted array would copy all n keys per event, which a replay of a
/// long journal would pay n times over.
/// </remarks>
[JsonConverter(typeof(IdempotencyKeySetJsonConverter))]
public sealed record IdempotencyKeySet
{
    private const int SmallestRunLimit = 32;

    // Both sorted, and never written after construction.
    private readonly UInt128[] _merged;
    private readonly UInt128[] _run;

    private IdempotencyKeySet(UInt128[] merged, UInt128[] run)
    {
        _merged = merged;
        _run = run;
    }

    public static IdempotencyKeySet Empty { get; } = new([], []);

    public int Count => _merged.Length + _run.Length;

    public bool Contains(UInt128 key) => _run.AsSpan().BinarySearch(key) >= 0 || _merged.AsSpan().BinarySearch(key) >= 0;

    public IdempotencyKeySet Add(UInt128 key)
    {
        var at = _run.AsSpan().BinarySearch(key);
        if (at >= 0 || _merged.AsSpan().BinarySearch(key) >= 0)
            return this;
        UInt128[] run = [.. _run.AsSpan(0, ~at), key, .. _run.AsSpan(~at)];
        return run.Length <= Math.Max(SmallestRunLimit, (int)Math.Sqrt(_merged.Length))
            ? new IdempotencyKeySet(_merged, run)
            : new IdempotencyKeySet(Merge(_merged, run), []);
    }

    /// <summary>Every key, ascending.</summary>
    internal ReadOnlySpan<UInt128> Sorted() => _run.Length == 0 ? _merged : Merge(_merged, _run);

    public bool Equals(IdempotencyKeySet? other) =>
        other is not null && (ReferenceEquals(this, other) || Sorted().SequenceEqual(other.Sorted()));

    // Consistent with Equals and cheap; nothing keys a dictionary by these sets.
    public override int GetHashCode() => Count;

    /// <summary>A set of keys given in strictly ascending order (as <see cref="Sorted"/> returns them).</summary>
    internal static IdempotencyKeySet FromSorted(UInt128[] keys)
    {
        for (var i = 1; i < keys.Length; i++)
        {
            if (keys[i - 1] >= keys[i])
                throw new ArgumentException("The keys are not in strictly ascending order.", nameof(keys));
        }
        return keys.Length == 0 ? Empty : new IdempotencyKeySet(keys, []);
    }

    internal static IdempotencyKeySet FromKeys(IEnumerable<UInt128> keys) => FromSorted([.. keys.Distinct().Order()]);

    private static UInt128[] Merge(UInt128[] left, UInt128[] right)
    {
        var merged = new UInt128[left.Length + right.Length];
        int l = 0, r = 0;
        for (var i = 0; i < merged.Length; i++)
            merged[i] = r == right.Length || (l < left.Length && left[l] < right[r]) ? left[l++] : right[r++];
        return merged;
    }
}
