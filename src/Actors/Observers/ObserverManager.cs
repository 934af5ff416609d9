using System.Collections;
using Microsoft.Extensions.Logging;

namespace CareTwin.Actors.Utilities;

/// <summary>
/// The observers a grain notifies, each expiring unless it subscribes again within <see cref="ExpirationDuration"/>
/// (so a client that vanished without unsubscribing is forgotten). An observer whose call throws is removed.
/// </summary>
public class ObserverManager<TIdentity, TObserver> : IEnumerable<TObserver> where TIdentity : notnull
{
    private readonly Dictionary<TIdentity, ObserverEntry> _observers = new();
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public ObserverManager(TimeSpan expiration, ILogger logger)
        : this(expiration, logger, TimeProvider.System)
    {
    }

    public ObserverManager(TimeSpan expiration, ILogger logger, TimeProvider timeProvider)
    {
        ExpirationDuration = expiration;
        _logger = logger;
        _time = timeProvider;
    }

    public TimeSpan ExpirationDuration { get; set; }

    public int Count => _observers.Count;

    public IReadOnlyDictionary<TIdentity, TObserver> Observers => _observers.ToDictionary(o => o.Key, o => o.Value.Observer);

    public void Clear() => _observers.Clear();

    /// <summary>Adds the observer, or renews its lease if it is already subscribed.</summary>
    public void Subscribe(TIdentity id, TObserver observer) =>
        _observers[id] = new ObserverEntry(observer, _time.GetUtcNow());

    public void Unsubscribe(TIdentity id) => _observers.Remove(id);

    public async Task Notify(Func<TObserver, Task> notification, Func<TObserver, bool>? predicate = null)
    {
        ClearExpired();
        List<TIdentity>? defunct = null;
        foreach (var (id, entry) in _observers.ToList())
        {
            if (predicate is not null && !predicate(entry.Observer)) continue;
            try
            {
                await notification(entry.Observer);
            }
            catch (Exception ex)
            {
                _logger.LogDebug(ex, "Observer {Observer} failed and is removed", id);
                (defunct ??= []).Add(id);
            }
        }
        foreach (var id in defunct ?? []) _observers.Remove(id);
    }

    public void Notify(Action<TObserver> notification, Func<TObserver, bool>? predicate = null)
    {
        ClearExpired();
        List<TIdentity>? defunct = null;
        foreach (var (id, entry) in _observers)
        {
            if (predicate is not null && !predicate(entry.Observer)) continue;
            try
            {
                notification(entry.Observer);
            }
            catch (Exception ex)
            {
                _logger.LogDebug(ex, "Observer {Observer} failed and is removed", id);
                (defunct ??= []).Add(id);
            }
        }
        foreach (var id in defunct ?? []) _observers.Remove(id);
    }

    public void ClearExpired()
    {
        var cutoff = _time.GetUtcNow() - ExpirationDuration;
        List<TIdentity>? expired = null;
        foreach (var (id, entry) in _observers)
            if (entry.LastSeen < cutoff) (expired ??= []).Add(id);
        foreach (var id in expired ?? []) _observers.Remove(id);
    }

    public IEnumerator<TObserver> GetEnumerator() => _observers.Values.Select(e => e.Observer).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private readonly record struct ObserverEntry(TObserver Observer, DateTimeOffset LastSeen);
}

/// <summary>Observers keyed by their own reference (references compare by identity).</summary>
public class ObserverManager<TObserver>(TimeSpan expiration, ILogger logger, TimeProvider? timeProvider = null)
    : ObserverManager<TObserver, TObserver>(expiration, logger, timeProvider ?? TimeProvider.System)
    where TObserver : notnull;
