using System.Collections.Immutable;
using CareTwin.Grains.Persistence;
using CareTwin.Storage;

namespace CareTwin.Grains.Access;

/// <summary>One access to a record, allowed or denied: who, in what role, what, when, through which channel and from where.</summary>
/// <param name="Subject">"child/{id}", "service/{key}" or "board/{key}": the audit trail it belongs to.</param>
/// <param name="Detail">What exactly, e.g. the command's name.</param>
/// <param name="Channel">"page", "hub", "grpc" or "rest" (the API as REST/JSON).</param>
/// <param name="Origin">The network peer (IP address and port) or the calling system.</param>
public sealed record AuditEntry(
    DateTimeOffset At,
    string CallerId,
    string CallerName,
    CallerRole Role,
    string Subject,
    AccessAction Action,
    string? Detail,
    bool Allowed,
    string Reason,
    string Channel,
    string? Origin)
{
    /// <summary>The entry for an access just decided: the one place a decision becomes an entry.</summary>
    public static AuditEntry Of(DateTimeOffset at, Caller caller, string subject, AccessAction action, string? detail, AccessDecision decision, AccessChannel channel) =>
        new(at, caller.Id, caller.DisplayName, caller.Role, subject, action, detail, decision.Allowed, decision.Reason, channel.Name, channel.Origin);

    /// <summary>The trail a child's accesses go to.</summary>
    public static string ChildSubject(string childId) => $"child/{childId}";
}

/// <param name="Entries">Newest first.</param>
/// <param name="Total">How many entries the trail holds.</param>
public sealed record AuditPage(string Subject, ImmutableArray<AuditEntry> Entries, int Total);

/// <summary>
/// The append-only audit trail of one subject (key: the subject, e.g. "child/c-001"). Every read and write of
/// a child record lands here before the caller gets an answer; nothing is ever removed.
/// </summary>
public interface IAuditGrain : IGrainWithStringKey
{
    /// <summary>
    /// Completes once the entry is durable. Interleaves, so entries arriving together share one journal append
    /// (group commit) instead of each waiting for the commit before it.
    /// </summary>
    [AlwaysInterleave]
    Task Record(AuditEntry entry);

    /// <summary>Several entries at once (e.g. one per change of an Ingest batch), in one append; completes once all are durable.</summary>
    [AlwaysInterleave]
    Task RecordAll(ImmutableArray<AuditEntry> entries);

    /// <summary>The newest entries, at most <paramref name="limit"/> (1–500), ending before <paramref name="beforeNumber"/> (1-based) if given.</summary>
    [ReadOnly]
    Task<AuditPage> GetRecent(int limit, int? beforeNumber = null);
}

/// <summary>What a trail's snapshot holds: how many entries came before it.</summary>
public sealed class AuditTrailState
{
    public int Count { get; set; }
}

// A trail is appended to on every read of its subject and read back rarely, so an idle one leaves memory after two
// minutes (Orleans's least is more than its one-minute collection pass) rather than the host's 15: with 100,000
// children it was a second activation for each. Its next entry activates it again: a snapshot and at most a
// snapshot interval of entries read, to count them.
//
// A plain grain over the journal, not a journaled one: a trail only counts its entries, and Orleans's event-sourcing
// adaptor (tentative state, copies, its own work queue) cost more per read than the append it wraps.
[GrainType("audit")]
[CollectionAgeLimit(Minutes = 2)]
public sealed class AuditGrain(JournalStore journal) : Grain, IAuditGrain
{
    public const int MaxPage = 500;

    /// <summary>Appends tried when another activation of the trail (a node leaving a cluster) appended first.</summary>
    private const int AppendAttempts = 3;

    private RecordKey _key;
    private int _count;

    // Entries waiting for the next append, and the completion their callers await. Grain turns never run at once,
    // so these need no lock; only one append is in flight at a time (the journal's version moves in order).
    private List<AuditEntry> _waiting = [];
    private TaskCompletionSource? _nextAppend;
    private bool _appending;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _key = StoreKeys.Of(this.GetGrainId());
        await CountAsync();
    }

    private async Task CountAsync()
    {
        try
        {
            (_count, _) = await journal.LoadAsync<AuditTrailState, AuditEntry>(_key, static (state, _) => state.Count++);
        }
        catch (Exception ex)
        {
            journal.LoadFailed(_key, ex);
            throw;
        }
    }

    public Task Record(AuditEntry entry) => RecordAll([entry]);

    public Task RecordAll(ImmutableArray<AuditEntry> entries)
    {
        if (entries.IsDefaultOrEmpty)
            return Task.CompletedTask;
        // All or none: a stray entry refuses the whole call before anything of it waits.
        foreach (var entry in entries)
        {
            if (entry.Subject != this.GetPrimaryKeyString())
                throw new ArgumentException($"An entry about {entry.Subject} does not belong in the trail of {this.GetPrimaryKeyString()}.", nameof(entries));
        }
        _waiting.AddRange(entries);
        var durable = (_nextAppend ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        if (!_appending)
        {
            _appending = true;
            _ = AppendWaitingAsync();
        }
        return durable;
    }

    /// <summary>Appends whatever has queued, one append at a time, until nothing waits; each caller is answered after its own append.</summary>
    private async Task AppendWaitingAsync()
    {
        try
        {
            while (_waiting.Count > 0)
            {
                // Everything queued goes in this append (the entries of the calls in flight).
                var batch = _waiting;
                var done = _nextAppend!;
                _waiting = [];
                _nextAppend = null;
                await AppendAsync(batch, done);
            }
        }
        finally
        {
            _appending = false;
        }
    }

    private async Task AppendAsync(List<AuditEntry> batch, TaskCompletionSource done)
    {
        try
        {
            // A connection a database restart ended is the store's to replace (it tries once more itself).
            for (var attempt = 1; ; attempt++)
            {
                var after = _count + batch.Count;
                if (await journal.AppendAsync(_key, _count, batch, () => new AuditTrailState { Count = after }))
                {
                    _count = after;
                    break;
                }
                // Another activation appended first: these entries go after its own, numbered on from there.
                if (attempt == AppendAttempts)
                    throw new Storage.InconsistentStateException($"The audit trail {_key} kept moving while {batch.Count} entries were being saved.");
                await CountAsync();
            }
            done.SetResult();
        }
        catch (Exception ex)
        {
            // Nothing of the batch is durable: every caller in it is told, as each was when it appended alone.
            done.SetException(ex);
        }
    }

    public async Task<AuditPage> GetRecent(int limit, int? beforeNumber = null)
    {
        if (limit is < 1 or > MaxPage) throw new ArgumentOutOfRangeException(nameof(limit), limit, $"limit must be 1 to {MaxPage}.");
        var upTo = Math.Min(beforeNumber is { } before ? before - 1 : _count, _count);
        var from = Math.Max(0, upTo - limit);
        var entries = upTo <= 0 ? [] : await journal.ReadAsync<AuditEntry>(_key, from, upTo);
        return new AuditPage(this.GetPrimaryKeyString(), [.. entries.Reverse()], _count);
    }
}
