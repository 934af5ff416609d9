using CareTwin.Grains.Access;
using Microsoft.Extensions.DependencyInjection;

namespace CareTwin.Testing;

/// <summary>What the audit store says about callers nobody identified (<see cref="UnauthenticatedAttempts"/>).</summary>
public static class UnidentifiedCallers
{
    /// <summary>Writes the host's counted attempts now, and returns the entries whose attempts named <paramref name="subject"/>.</summary>
    public static async Task<List<AuditEntry>> AttemptsOnAsync(IServiceProvider host, string subject)
    {
        await host.GetRequiredService<AccessGate>().Unauthenticated.FlushAsync(all: true);
        var trail = await host.GetRequiredService<IGrainFactory>().GetGrain<IAuditGrain>(UnauthenticatedAttempts.Subject).GetRecent(AuditGrain.MaxPage);
        return [.. trail.Entries.Where(e => e.Detail!.Contains(subject, StringComparison.Ordinal))];
    }
}
