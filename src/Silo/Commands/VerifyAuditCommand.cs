using System.Globalization;
using CareTwin.Silo.Composition;
using CareTwin.Storage;
using CareTwin.Storage.Chains;
using CareTwin.Storage.Postgres;
using CareTwin.Storage.Sqlite;

namespace CareTwin.Silo.Commands;

/// <summary>
/// <c>CareTwin.Silo verify-audit</c>: checks the hash chain of every journal (each child's journal, each audit trail)
/// in the configured store and reports the first broken link of each broken one. Reads the same settings as the
/// host (appsettings, the environment, <c>--Section:Key=value</c> arguments) but starts nothing: no silo, no
/// listeners, no schema migration; the store is opened read-only, so it may run beside a running host.
/// <para>Exit codes: <see cref="Intact"/>, <see cref="Broken"/>, <see cref="CannotCheck"/>, <see cref="BadSettings"/>.</para>
/// </summary>
internal static class VerifyAuditCommand
{
    public const string Name = "verify-audit";

    /// <summary>Every journal's chain is intact.</summary>
    public const int Intact = 0;

    /// <summary>A setting is wrong (as when the host cannot start for one): nothing was checked.</summary>
    public const int BadSettings = 1;

    /// <summary>At least one journal's chain is broken: an entry was changed, removed or added outside CareTwin.</summary>
    public const int Broken = 2;

    /// <summary>The store could not be checked: unreachable, missing, not a CareTwin database, or not chained yet.</summary>
    public const int CannotCheck = 3;

    private const string Usage = """
        Usage: CareTwin.Silo verify-audit [--Section:Key=value ...]
        Checks the hash chain of every journal and audit trail in the configured store (Storage:Provider, read-only).
        Exit codes: 0 every chain intact; 2 a chain is broken (one line per broken journal); 3 the store cannot be
        checked (cannot connect, no database, not migrated); 1 a setting is wrong.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors, CancellationToken cancellationToken = default)
    {
        if (args is ["--help"] or ["-h"])
        {
            await output.WriteLineAsync(Usage);
            return Intact;
        }
        Func<CancellationToken, Task<ChainCheck>> checkStore;
        try
        {
            checkStore = ConfiguredCheck(args);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or ArgumentException)
        {
            await errors.WriteLineAsync($"{Name}: {StartupFailure.Describe(ex)}");
            return BadSettings;
        }
        ChainCheck check;
        try
        {
            check = await checkStore(cancellationToken);
        }
        catch (ChainCheckUnavailableException ex)
        {
            await errors.WriteLineAsync($"{Name}: cannot check: {ex.Message}");
            return CannotCheck;
        }
        foreach (var line in Report(check)) await output.WriteLineAsync(line);
        return check.Report.Intact ? Intact : Broken;
    }

    /// <summary>The report's lines: one per broken journal (its first broken link), one per kind of problem, then the outcome.</summary>
    public static IEnumerable<string> Report(ChainCheck check)
    {
        var report = check.Report;
        foreach (var broken in report.Breaks)
            yield return $"{Name}: BROKEN {Describe(broken.Record)}, entry {broken.Entry}: {Label(broken.Kind)}: {broken.Detail} (record {broken.Record})";
        foreach (var kind in report.Breaks.GroupBy(b => b.Kind).OrderBy(g => g.Key))
            yield return $"{Name}: {Label(kind.Key)}: {Count(kind.Count(), "journal")}";
        if (check.Seal is { } seal)
            yield return $"{Name}: {Count(seal.Entries, "entry", "entries")} stored before the chain began were chained as they stood on "
                + $"{seal.SealedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)} (schema step 6): the chain vouches for them from then on, not before.";
        yield return report.Intact
            ? $"{Name}: intact: all {Count(report.Chains, "journal")} ({Count(report.Entries, "entry", "entries")}) in {check.Store}."
            : $"{Name}: BROKEN: {report.Breaks.Count} of {Count(report.Chains, "journal")} ({Count(report.Entries, "entry", "entries")}) in {check.Store}.";
    }

    /// <summary>A journal as people know it: "audit trail of child c-0001", "journal of child c-0001".</summary>
    public static string Describe(RecordKey record)
    {
        if (record.Type == "audit")
        {
            var slash = record.Key.IndexOf('/');
            return slash > 0 ? $"audit trail of {record.Key[..slash]} {record.Key[(slash + 1)..]}" : $"audit trail {record.Key}";
        }
        return $"journal of {record.Type} {record.Key}";
    }

    private static string Label(ChainBreakKind kind) => kind switch
    {
        ChainBreakKind.HashMismatch => "hash mismatch",
        ChainBreakKind.MissingLink => "missing link",
        ChainBreakKind.MissingHash => "missing hash",
        ChainBreakKind.AddedOutsideCareTwin => "added outside CareTwin",
        _ => kind.ToString(),
    };

    private static string Count(long count, string one, string? many = null) =>
        $"{count.ToString("N0", CultureInfo.InvariantCulture)} {(count == 1 ? one : many ?? one + "s")}";

    /// <summary>Reads the host's settings (without building the host): the check of the store they name.</summary>
    private static Func<CancellationToken, Task<ChainCheck>> ConfiguredCheck(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var storage = builder.Configuration.GetSection(StorageSettings.SectionName).Get<StorageSettings>() ?? new StorageSettings();
        switch (storage.Provider.ToLowerInvariant())
        {
            case "sqlite":
                var path = storage.SqlitePath(builder.Environment.ContentRootPath);
                return cancellation => SqliteJournalChains.CheckAsync(path, cancellation);
            case "postgres":
                if (string.IsNullOrWhiteSpace(storage.Postgres.ConnectionString))
                    throw new InvalidOperationException("Storage:Postgres:ConnectionString is required when Storage:Provider is Postgres.");
                var connectionString = storage.Postgres.ConnectionString;
                return cancellation => PostgresJournalChains.CheckAsync(connectionString, cancellation);
            default:
                throw new InvalidOperationException($"Storage:Provider '{storage.Provider}' is not known; use Sqlite or Postgres.");
        }
    }
}
