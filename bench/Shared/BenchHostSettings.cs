using CareTwin.Testing;

namespace CareTwin.Bench.Shared;

/// <summary>
/// What a host under a bench is given besides its storage and listeners: the demo region's services without its
/// children (blockers need an owning service, and the bench registers children of its own, so it knows their ids), the
/// bench's API key, and the API's limits lifted, since they are not what is measured. Linked into bench/LoadGenerator
/// and bench/LivePush.
/// </summary>
public static class BenchHostSettings
{
    /// <param name="system">The key's system, named in every journal and audit entry the bench causes.</param>
    /// <param name="service">The service the key acts for, which owns the bench's blockers.</param>
    public static Dictionary<string, string> For(GeneratedApiKey key, string system, string systemName, string service)
    {
        var settings = new Dictionary<string, string>
        {
            ["Demo__Enabled"] = "true",
            ["Demo__Children"] = "0",
            ["Api__RateLimit__PermitsPerSecond"] = "1000000",
            ["Api__RateLimit__Burst"] = "1000000",
            ["Api__MaxWatchesPerConnection"] = "1000",
            ["Api__MaxWatchesPerKey"] = "1000",
        };
        foreach (var (name, value) in key.Settings(system, systemName, service, managesJourneys: true))
            settings.Add(name, value);
        return settings;
    }
}
