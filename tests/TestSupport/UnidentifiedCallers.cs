using CareTwin.Grains.Access;
using Microsoft.Extensions.DependencyInjection;

namespace CareTwin.Testing;

/// <summary>What the audit store says about callers nobody identified (<see cref="UnauthenticatedAttempts"/>).</summary>
public static class UnidentifiedCallers
{
    /// <summary>Writes the host's counted attempts now, and returns the entries whose attempts named <paramref name="subject"/>.</summary>
    public static async Task<List<AuditEntry>> AttemptsOnAsync(IServiceProvider host, string subject)
    {
        await FlushAsync(host);
        var trail = await host.GetRequiredService<IGrainFactory>().GetGrain<IAuditGrain>(UnauthenticatedAttempts.Subject).GetRecent(AuditGrain.MaxPage);
        return [.. trail.Entries.Where(e => e.Detail!.Contains(subject, StringComparison.Ordinal))];
    }

    /// <summary>
    /// Writes the attempts counted so far, so that a test's own attempts start a tally of their own: attempts from one
    /// address in one window share an entry, whatever child they named (an earlier test's included).
    /// </summary>
    public static Task FlushAsync(IServiceProvider host) => host.GetRequiredService<AccessGate>().Unauthenticated.FlushAsync(all: true);
}
