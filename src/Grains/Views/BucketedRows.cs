using System.Collections.Immutable;
using Orleans.Storage;

namespace CareTwin.Grains.Views;

/// <summary>A share of a view's rows, stored as one grain state ("{name}-{bucket}").</summary>
public sealed class RowBucket<TRow>
{
    public ImmutableDictionary<string, TRow> Rows { get; set; } = ImmutableDictionary<string, TRow>.Empty;
}

/// <summary>
/// A view's rows (a board's rows by child) kept in the store as <see cref="Buckets"/> grain states, each holding the
/// rows whose key hashes to it, so a write stores only the buckets that changed. Stored whole, a region board of
/// 100,000 children was ~240 MiB of JSON, serialized in one piece on every write and read in one piece on every
/// activation (bench/results/view-writes.md); a bucket is a 64th of that.
/// </summary>
/// <param name="storedWhole">Where an earlier release stored the view in one piece: its owner takes the rows over on
/// activation, and it is cleared once a write has put every changed row in buckets.</param>
internal sealed class BucketedRows<TRow>(IGrainStorage storage, GrainId grain, string name, Orleans.Core.IStorage storedWhole)
{
    public const int Buckets = 64;

    private readonly GrainState<RowBucket<TRow>>[] _buckets = [.. Enumerable.Range(0, Buckets).Select(_ => new GrainState<RowBucket<TRow>>(new RowBucket<TRow>()))];
    private readonly HashSet<int> _changed = [];

    /// <summary>Every stored row.</summary>
    public IEnumerable<KeyValuePair<string, TRow>> Rows => _buckets.SelectMany(b => b.State!.Rows);

    public async Task ReadAsync()
    {
        for (var i = 0; i < Buckets; i++)
        {
            await storage.ReadStateAsync(StateName(i), grain, _buckets[i]);
            _buckets[i].State ??= new RowBucket<TRow>();
        }
    }

    public void Set(string key, TRow row)
    {
        var bucket = BucketOf(key);
        var state = _buckets[bucket].State!;
        state.Rows = state.Rows.SetItem(key, row);
        _changed.Add(bucket);
    }

    public bool HasChanges => _changed.Count > 0;

    /// <summary>
    /// Writes the buckets changed since the last write (a bucket that fails stays changed for the next), then clears
    /// the view stored whole by an earlier release, if there is one.
    /// </summary>
    public async Task WriteChangedAsync()
    {
        foreach (var bucket in _changed.Order().ToArray())
        {
            // Taken off first: a row changed while this bucket is written marks it again for the next write.
            _changed.Remove(bucket);
            try
            {
                await storage.WriteStateAsync(StateName(bucket), grain, _buckets[bucket]);
            }
            catch
            {
                _changed.Add(bucket);
                throw;
            }
        }
        if (storedWhole.RecordExists)
            await storedWhole.ClearStateAsync();
    }

    private string StateName(int bucket) => $"{name}-{bucket:D2}";

    /// <summary>FNV-1a over the key: the same bucket in every process and every release (string hashes are randomised per process).</summary>
    internal static int BucketOf(string key)
    {
        var hash = 2166136261u;
        foreach (var c in key)
            hash = (hash ^ c) * 16777619u;
        return (int)(hash % Buckets);
    }
}
