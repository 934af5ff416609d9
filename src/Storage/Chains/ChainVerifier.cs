namespace CareTwin.Storage.Chains;

/// <summary>What is wrong at the first broken link of a journal's chain.</summary>
public enum ChainBreakKind
{
    /// <summary>An entry's stored hash is not the hash of the link before it and its own content: it (or the entry before it, hash and all) was changed.</summary>
    HashMismatch,

    /// <summary>Entries are missing: a gap in the numbers, or the newest entries (the journal's head says it was written further).</summary>
    MissingLink,

    /// <summary>An entry has no stored hash: it was put there by hand, or its hash was removed.</summary>
    MissingHash,

    /// <summary>An entry beyond the last one CareTwin recorded writing (the journal's head): it was added by hand.</summary>
    AddedOutsideCareTwin,
}

/// <summary>The first broken link of one journal: which journal, at which entry (1-based), what is wrong.</summary>
public sealed record ChainBreak(RecordKey Record, int Entry, ChainBreakKind Kind, string Detail);

/// <param name="Chains">Journals checked.</param>
/// <param name="Entries">Entries read.</param>
/// <param name="Breaks">The first broken link of each broken journal, in the order the journals were read.</param>
public sealed record ChainReport(long Chains, long Entries, IReadOnlyList<ChainBreak> Breaks)
{
    public bool Intact => Breaks.Count == 0;
}

/// <summary>
/// Checks journals against <see cref="JournalChain"/>, entry by entry as they are read, holding one journal at a
/// time (a store's whole journal table streams through it). Feed every entry grouped by journal, in version order
/// within each (of two entries with one number, the one with its link first), then <see cref="Complete"/>. Each
/// journal must start at entry 1 with the genesis link, number on without gaps, carry in each entry the hash of the
/// one before and its own content, and end where its head (the version the store recorded writing, kept apart from
/// the entries) says. Only the first break of a journal is reported: everything after it chains to something already
/// wrong. Pure: no I/O.
/// </summary>
public sealed class ChainVerifier(IReadOnlyDictionary<RecordKey, int> heads)
{
    private readonly HashSet<RecordKey> _seen = [];
    private readonly List<ChainBreak> _breaks = [];
    private readonly byte[] _previous = new byte[JournalChain.HashSize];
    private readonly byte[] _expected = new byte[JournalChain.HashSize];
    private RecordKey? _current;
    private int _next;
    private int _last;
    private bool _broken;
    private long _entries;
    private bool _completed;

    /// <summary>One stored entry; <paramref name="hash"/> null when the store has none for it.</summary>
    public void Add(RecordKey record, int version, string payload, byte[]? hash)
    {
        if (_completed) throw new InvalidOperationException("The check is complete.");
        if (_current != record)
        {
            Finish();
            if (!_seen.Add(record))
                throw new InvalidOperationException($"The entries of {record} were not read together; read them ordered by journal and version.");
            _current = record;
            _next = 1;
            _last = 0;
            _broken = false;
            JournalChain.Genesis.CopyTo(_previous);
        }
        if (version == _last && version > 0)
        {
            // Only where entries are not kept one per number (SQLite's arrival order): a copy added by hand. The
            // entry CareTwin wrote, the one with a link, is read first.
            _entries++;
            if (!_broken) Break(version, ChainBreakKind.AddedOutsideCareTwin, $"entry {version} is stored twice: a second entry {version} was added outside CareTwin");
            return;
        }
        if (version < _last)
            throw new InvalidOperationException($"Entry {version} of {record} was read after entry {_last}; read them in version order.");
        _last = version;
        _entries++;
        if (_broken) return;
        if (version > _next)
        {
            var missing = version == _next + 1 ? $"entry {_next} is missing" : $"entries {_next}–{version - 1} are missing";
            Break(_next, ChainBreakKind.MissingLink, _next == 1
                ? $"{missing}: the journal starts at entry {version}"
                : $"{missing}: the journal goes from entry {_next - 1} to entry {version}");
            return;
        }
        if (hash is null)
        {
            Break(version, ChainBreakKind.MissingHash, $"entry {version} has no stored hash: it was not written by CareTwin, or its hash was removed");
            return;
        }
        JournalChain.Hash(_previous, record, version, payload, _expected);
        if (!hash.AsSpan().SequenceEqual(_expected))
        {
            Break(version, ChainBreakKind.HashMismatch, version == 1
                ? "entry 1 is not as it was written: the entry or its stored hash was changed"
                : $"entry {version} is not as it was written: the entry or its stored hash was changed (or entry {version - 1} was rewritten together with its hash)");
            return;
        }
        hash.CopyTo(_previous, 0);
        _next++;
    }

    /// <summary>Checks the last journal against its head, and every head whose journal has no entries at all.</summary>
    public ChainReport Complete()
    {
        if (!_completed)
        {
            Finish();
            _completed = true;
            foreach (var (record, head) in heads.OrderBy(h => h.Key.Type, StringComparer.Ordinal).ThenBy(h => h.Key.Key, StringComparer.Ordinal))
            {
                if (_seen.Contains(record) || head <= 0) continue;
                _seen.Add(record);
                _breaks.Add(new ChainBreak(record, 1, ChainBreakKind.MissingLink, head == 1
                    ? "entry 1 is missing: the journal was written up to entry 1 and holds none"
                    : $"entries 1–{head} are missing: the journal was written up to entry {head} and holds none"));
            }
        }
        return new ChainReport(_seen.Count, _entries, [.. _breaks]);
    }

    private void Finish()
    {
        if (_current is not { } record) return;
        _current = null;
        if (_broken) return;
        var last = _next - 1;
        var head = heads.TryGetValue(record, out var recorded) ? recorded : 0;
        if (head > last)
            Break(record, last + 1, ChainBreakKind.MissingLink, head == last + 1
                ? $"entry {head}, the newest, is missing: the journal was written up to entry {head} and ends at entry {last}"
                : $"entries {last + 1}–{head}, the newest, are missing: the journal was written up to entry {head} and ends at entry {last}");
        else if (head < last)
            Break(record, head + 1, ChainBreakKind.AddedOutsideCareTwin, head + 1 == last
                ? $"entry {last} was added outside CareTwin: the journal was written up to entry {head}"
                : $"entries {head + 1}–{last} were added outside CareTwin: the journal was written up to entry {head}");
    }

    private void Break(int entry, ChainBreakKind kind, string detail) => Break(_current!.Value, entry, kind, detail);

    private void Break(RecordKey record, int entry, ChainBreakKind kind, string detail)
    {
        _broken = true;
        _breaks.Add(new ChainBreak(record, entry, kind, detail));
    }
}
