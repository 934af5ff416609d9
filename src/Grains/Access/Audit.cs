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
    string? Origin);

/// <param name="Entries">Newest first.</param>
/// <param name="Total">How many entries the trail holds.</param>
public sealed record AuditPage(string Subject, ImmutableArray<AuditEntry> Entries, int Total);

/// <summary>
/// The append-only audit trail of one subject (key: the subject, e.g. "child/c-001"). Every read and write of
/// a child record lands here before the caller gets an answer; nothing is ever removed.
/// </summary>
public interface IAuditGrain : IGrainWithStringKey
{
    Task Record(AuditEntry entry);

    /// <summary>The newest entries, at most <paramref name="limit"/> (1–500), ending before <paramref name="beforeNumber"/> (1-based) if given.</summary>
    [ReadOnly]
    Task<AuditPage> GetRecent(int limit, int? beforeNumber = null);
}

public sealed class AuditTrailState : ITwinState
{
    public int Count { get; set; }

    public object Copy() => new AuditTrailState { Count = Count };
}

[GrainType("audit")]
public sealed class AuditGrain(JournalStore journal) : JournaledTwin<AuditTrailState, AuditEntry>(journal), IAuditGrain
{
    public const int MaxPage = 500;

    public async Task Record(AuditEntry entry)
    {
        if (entry.Subject != this.GetPrimaryKeyString())
            throw new ArgumentException($"An entry about {entry.Subject} does not belong in the trail of {this.GetPrimaryKeyString()}.", nameof(entry));
        await CommitAsync([entry]);
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
