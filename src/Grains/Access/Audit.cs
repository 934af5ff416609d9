using System.Collections.Immutable;
using CareTwin.Grains.Persistence;
using CareTwin.Grains.Serialization;

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

public sealed class AuditTrailState : ITwinState
{
    public int Count { get; set; }

    public object Copy() => new AuditTrailState { Count = Count };
}

// A trail is appended to on every read of its subject and read back rarely, so an idle one leaves memory after two
// minutes (Orleans's least is more than its one-minute collection pass) rather than the host's 15: with 100,000
// children it was a second activation for each. Its next entry activates it again: a snapshot and at most a
// snapshot interval of entries read, to count them.
[GrainType("audit")]
[CollectionAgeLimit(Minutes = 2)]
public sealed class AuditGrain(JournalStore journal) : JournaledTwin<AuditTrailState, AuditEntry>(journal), IAuditGrain
{
    public const int MaxPage = 500;

    // Entries waiting for the next append, and the completion their callers await. Grain turns never run at once,
    // so these need no lock; only one append is in flight at a time (the journal's version moves in order).
    private List<AuditEntry> _waiting = [];
    private TaskCompletionSource? _nextAppend;
    private bool _appending;

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
            await CommitAsync(batch);
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
        var upTo = Math.Min(beforeNumber is { } before ? before - 1 : Version, Version);
        var from = Math.Max(0, upTo - limit);
        var entries = upTo <= 0 ? [] : await Journal.ReadAsync<AuditEntry>(StoreKey, from, upTo);
        return new AuditPage(this.GetPrimaryKeyString(), [.. entries.Reverse()], Version);
    }

    protected override void TransitionState(AuditTrailState state, AuditEntry @event) => state.Count++;
}
