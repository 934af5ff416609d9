using Microsoft.Extensions.DependencyInjection;
using System.Text;
using CareTwin.EndToEnd.Tests.Infrastructure;
using CareTwin.Grains.Access;
using CareTwin.Testing;

namespace CareTwin.EndToEnd.Tests.Authorization;

public enum Verdict { Allowed, Denied, Unexpected }

/// <summary>What one cell's request came to, and the evidence (status, HTTP code or hub error) a reader can check.</summary>
/// <param name="NamedNoRecord">Refused before the request named any record (the hub's door): nothing to audit against.</param>
public sealed record Outcome(Verdict Verdict, string Evidence, bool NamedNoRecord = false)
{
    public static Outcome Allowed(string evidence) => new(Verdict.Allowed, evidence);

    public static Outcome Denied(string evidence, bool namedNoRecord = false) => new(Verdict.Denied, evidence, namedNoRecord);

    public static Outcome Unexpected(string evidence) => new(Verdict.Unexpected, evidence);
}

/// <summary>What a cell acts on: the child, and the blocker, appointment, invite or member made fresh for it.</summary>
public sealed record Target(string ChildId, string? ItemId = null);

/// <summary>One row of the matrix: a gRPC method, hub method or page.</summary>
/// <param name="Channel">"grpc", "hub" or "page", as the audit trail names it.</param>
/// <param name="Prepare">Made before every cell, so what an allowed cell changes never changes the next one.</param>
/// <param name="Subject">The audit trail the request belongs in; null for what names no record (health, sign-in).</param>
/// <param name="State">
/// For a change: what it would change, read again after the request, so an allowed cell is seen to have changed it
/// and a denied one to have left it as it was (not only answered "no").
/// </param>
public sealed record Surface(string Name, string Channel, Func<Task<Target>> Prepare, Func<Role, Target, Task<Outcome>> Invoke, Func<Target, string?> Subject,
    Func<Target, Task<string>>? State = null);

/// <summary>
/// Runs every cell of a matrix: prepares its target, sends the request as the role, compares allowed/denied with
/// the table, and checks the subject's audit trail got an entry for it (allowed or denied, this caller, this
/// channel). Collects every mismatch before failing, and writes the matrix as found to artifacts/.
/// </summary>
public sealed class Matrix(EndToEndSite e2e, MatrixScene scene)
{
    public async Task RunAsync(string title, IReadOnlyList<(string Surface, string Cells)> table, IReadOnlyList<Surface> surfaces)
    {
        Assert.Equal(table.Select(r => r.Surface).Order(), surfaces.Select(s => s.Name).Order());
        var problems = new List<string>();
        var found = new List<(string Surface, IReadOnlyList<string> Cells)>();
        foreach (var (name, cells) in table)
        {
            var expected = cells.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(expected.Length == scene.Roles.Count && expected.All(c => c is "A" or "D"), $"{name}: one A or D per role, please.");
            var surface = surfaces.Single(s => s.Name == name);
            var row = new List<string>();
            foreach (var (role, allowed) in scene.Roles.Zip(expected.Select(c => c == "A")))
            {
                var (outcome, problem) = await CellAsync(surface, role, allowed);
                row.Add($"{(outcome.Verdict == Verdict.Allowed ? "✅" : outcome.Verdict == Verdict.Denied ? "⛔" : "❓")} {outcome.Evidence}");
                if (problem is not null) problems.Add($"{name} × {role.Name}: {problem}");
            }
            found.Add((name, row));
        }
        await WriteAsync(title, found);
        Assert.True(problems.Count == 0, $"{problems.Count} of {table.Count * scene.Roles.Count} cells are wrong:\n" + string.Join('\n', problems));
    }

    private async Task<(Outcome Outcome, string? Problem)> CellAsync(Surface surface, Role role, bool expectAllowed)
    {
        var target = await surface.Prepare();
        var subject = surface.Subject(target);
        var trail = subject is null ? null : e2e.Site.Grains.GetGrain<IAuditGrain>(subject);
        var before = trail is null ? 0 : (await trail.GetRecent(1)).Total;
        var unidentified = e2e.Site.Grains.GetGrain<IAuditGrain>(UnauthenticatedAttempts.Subject);
        await Unauthenticated.FlushAsync(all: true);
        var unidentifiedBefore = (await unidentified.GetRecent(1)).Total;
        var stateBefore = surface.State is null ? null : await surface.State(target);
        var outcome = await surface.Invoke(role, target);

        if (outcome.Verdict == Verdict.Unexpected) return (outcome, $"neither allowed nor denied: {outcome.Evidence}");
        if ((outcome.Verdict == Verdict.Allowed) != expectAllowed) return (outcome, $"expected {(expectAllowed ? "allowed" : "denied")}, was {outcome.Verdict} ({outcome.Evidence})");
        if (surface.State is not null && (await surface.State(target) == stateBefore) == expectAllowed)
            return (outcome, expectAllowed ? $"allowed, yet nothing changed ({stateBefore})" : $"denied, yet it changed what it asked to ({stateBefore} before)");
        if (trail is null) return (outcome, null);

        var page = await trail.GetRecent(AuditGrain.MaxPage);
        var added = page.Entries.Take(page.Total - before).ToList();
        if (outcome.NamedNoRecord)
            return (outcome, added.Count == 0 ? null : $"refused at the door, yet {added.Count} audit entries were written");
        var caller = role.AuditedCallerId(surface.Channel);
        if (caller == Role.Anonymous)
        {
            // Nobody identified: counted in the unauthenticated trail (one entry per address and window), not the record's.
            var counted = (await UnidentifiedCallers.AttemptsOnAsync(e2e.Site.Services, subject!)).Take((await unidentified.GetRecent(1)).Total - unidentifiedBefore).ToList();
            return added.Count == 0 && counted.Any(e => !e.Allowed && e.Channel == surface.Channel && e.Detail!.Contains(subject!, StringComparison.Ordinal))
                ? (outcome, null)
                : (outcome, $"an unidentified caller's attempt should be counted in {UnauthenticatedAttempts.Subject} and not written to {subject}; " +
                            $"{subject} gained {added.Count}, the count gained [{string.Join("; ", counted.Select(e => $"{e.Channel}: {e.Detail}"))}]");
        }
        var allowed = outcome.Verdict == Verdict.Allowed;
        return added.Any(e => e.Allowed == allowed && e.CallerId == caller && e.Channel == surface.Channel)
            ? (outcome, null)
            : (outcome, $"no audit entry in {subject} with Allowed={allowed}, caller {caller}, channel {surface.Channel}; " +
                        $"found [{string.Join("; ", added.Select(e => $"{e.CallerId}/{e.Channel}/{e.Action}/{(e.Allowed ? "allowed" : "denied")}"))}]");
    }

    private UnauthenticatedAttempts Unauthenticated => e2e.Site.Services.GetRequiredService<AccessGate>().Unauthenticated;

    /// <summary>The matrix as this run found it, for a reader: artifacts/authorization-matrix/{title}.md.</summary>
    private async Task WriteAsync(string title, IReadOnlyList<(string Surface, IReadOnlyList<string> Cells)> rows)
    {
        var directory = Path.Combine(Repository.Root, "artifacts", "authorization-matrix");
        Directory.CreateDirectory(directory);
        var text = new StringBuilder($"# Authorization matrix: {title}\n\n✅ allowed, ⛔ denied (and audited unless refused before naming a record), ❓ neither.\n\n");
        foreach (var role in scene.Roles) text.Append($"- **{role.Name}**: {role.Description}\n");
        text.Append($"\n| | {string.Join(" | ", scene.Roles.Select(r => r.Name))} |\n|---|{string.Concat(scene.Roles.Select(_ => "---|"))}\n");
        foreach (var (surface, cells) in rows) text.Append($"| {surface} | {string.Join(" | ", cells)} |\n");
        await File.WriteAllTextAsync(Path.Combine(directory, $"{title}.md"), text.ToString());
    }
}
