using System.Collections.Immutable;

namespace CareTwin.Api.Journeys;

/// <summary>
/// Which version of each child a watch has sent, from its snapshot on. Live streams may still deliver a change
/// published just before the watch subscribed; it is older than the snapshot, and sending it would move the
/// watcher back.
/// </summary>
internal sealed class ChildVersionsSent
{
    private readonly Dictionary<string, long> _versions = [];

    public void Reset(ImmutableDictionary<string, long>? snapshot)
    {
        lock (_versions)
        {
            _versions.Clear();
            foreach (var (childId, version) in snapshot ?? ImmutableDictionary<string, long>.Empty)
                _versions[childId] = version;
        }
    }

    /// <summary>True (and remembered) when this change is newer than what the watch has for the child.</summary>
    public bool IsNew(string childId, long version)
    {
        lock (_versions)
        {
            if (_versions.TryGetValue(childId, out var sent) && version <= sent)
                return false;
            _versions[childId] = version;
            return true;
        }
    }
}
