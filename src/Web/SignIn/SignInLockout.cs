using System.Collections.Concurrent;
using CareTwin.Web.Hosting;
using Microsoft.Extensions.Options;

namespace CareTwin.Web.SignIn;

/// <summary>
/// Locks a staff user name after <see cref="LockoutOptions.MaxFailures"/> wrong passwords in a row, for
/// <see cref="LockoutOptions.Duration"/>. Any user name typed is counted, known or not, so the lock says nothing about
/// whether an account exists. Kept in this node's memory: a node that restarts forgets, and on a cluster each node
/// counts on its own (browsers stay on one node), so a determined guesser gets at most that many tries per node per
/// period, on top of the per-address limit on sign-in attempts.
/// </summary>
public sealed class SignInLockout(TimeProvider time, IOptions<WebOptions> options)
{
    /// <summary>User names remembered at most; beyond that the stalest are forgotten, so guessing names cannot fill memory.</summary>
    public const int MaxRemembered = 10_000;

    private readonly ConcurrentDictionary<string, Record> _records = new(StringComparer.OrdinalIgnoreCase);

    private sealed record Record(int Failures, DateTimeOffset FirstFailureAt, DateTimeOffset? LockedUntil);

    /// <summary>Until when the user name is locked, or null if a password may be tried.</summary>
    public DateTimeOffset? LockedUntil(string userName)
    {
        var now = time.GetUtcNow();
        return _records.TryGetValue(Key(userName), out var record) && record.LockedUntil is { } until && until > now ? until : null;
    }

    /// <summary>Counts a wrong password; returns until when the user name is now locked (null if it is not).</summary>
    public DateTimeOffset? Failed(string userName)
    {
        var now = time.GetUtcNow();
        var settings = options.Value.Lockout;
        if (_records.Count >= MaxRemembered) ForgetStale(now, settings.Duration);
        var record = _records.AddOrUpdate(Key(userName),
            _ => Next(null, now, settings),
            (_, existing) => Next(existing, now, settings));
        return record.LockedUntil;
    }

    /// <summary>A right password: the count starts again.</summary>
    public void Succeeded(string userName) => _records.TryRemove(Key(userName), out _);

    private static Record Next(Record? existing, DateTimeOffset now, LockoutOptions settings)
    {
        // A lock that has run out, or failures older than the period, are forgotten.
        if (existing is null || existing.LockedUntil is { } until && until <= now || existing.LockedUntil is null && existing.FirstFailureAt + settings.Duration <= now)
            existing = new Record(0, now, null);
        if (existing.LockedUntil is not null) return existing;
        var failures = existing.Failures + 1;
        return failures >= settings.MaxFailures ? new Record(0, existing.FirstFailureAt, now + settings.Duration) : existing with { Failures = failures };
    }

    private void ForgetStale(DateTimeOffset now, TimeSpan duration)
    {
        foreach (var (key, record) in _records)
            if (record.LockedUntil is { } until ? until <= now : record.FirstFailureAt + duration <= now)
                _records.TryRemove(key, out _);
        // Still full of live entries (a flood of names): forget the oldest half rather than grow without bound.
        if (_records.Count >= MaxRemembered)
            foreach (var (key, _) in _records.OrderBy(r => r.Value.FirstFailureAt).Take(_records.Count / 2))
                _records.TryRemove(key, out _);
    }

    private static string Key(string userName) => userName.Trim();
}
