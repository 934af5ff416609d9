using System.Globalization;
using System.Reflection;

namespace CareTwin.Storage;

/// <summary>One schema step: <c>deploy/sql/{dialect}/NNNN_name.sql</c>, embedded into this assembly unchanged.</summary>
internal sealed record Migration(int Version, string Name, string Sql);

/// <summary>
/// The numbered schema steps of one database dialect. The files operators run by hand are the ones embedded
/// here; each step records its own number in <c>schema_version</c> and is written to be harmless when run twice.
/// A database lists every step it has run, so a start runs exactly the steps it does not list, in number order.
/// Numbers need not be contiguous: steps written side by side (say 0003 and 0004 on two branches) may reach a
/// database in either order, and a lower-numbered step that arrives later still runs.
/// </summary>
internal sealed class SchemaMigrations
{
    internal SchemaMigrations(string dialect, IReadOnlyList<Migration> steps)
    {
        if (steps.Count == 0) throw new InvalidOperationException($"No {dialect} schema steps are embedded in {typeof(SchemaMigrations).Assembly.GetName().Name}.");
        // A repeated or non-positive number is a packaging mistake; fail at start rather than run one step and skip the other.
        var repeated = steps.GroupBy(s => s.Version).FirstOrDefault(g => g.Count() > 1 || g.Key < 1);
        if (repeated is not null)
            throw new InvalidOperationException($"The {dialect} schema steps are not numbered 1, 2, … without repeats: found {string.Join(", ", steps.Select(s => s.Name))}.");
        Dialect = dialect;
        Steps = [.. steps.OrderBy(s => s.Version)];
    }

    public string Dialect { get; }

    public IReadOnlyList<Migration> Steps { get; }

    /// <summary>The highest schema step this code knows.</summary>
    public int Latest => Steps[^1].Version;

    public static SchemaMigrations Load(string dialect)
    {
        var assembly = typeof(SchemaMigrations).Assembly;
        var prefix = $"sql/{dialect}/";
        var steps = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name => Read(assembly, name, name[prefix.Length..]))
            .ToList();
        return new SchemaMigrations(dialect, steps);
    }

    /// <summary>
    /// The steps a database that lists <paramref name="applied"/> still needs, in order. A database that lists a
    /// step this code does not know (a newer CareTwin, or another build, migrated it) is refused.
    /// </summary>
    public IReadOnlyList<Migration> Pending(IReadOnlyCollection<int> applied, string database)
    {
        if (applied.Count > 0 && applied.Max() > Latest)
            throw new InvalidOperationException(
                $"The {Dialect} database {database} has schema version {applied.Max()}, newer than this CareTwin's {Latest}; refusing to use it. Run a CareTwin at least as new as the database.");
        var unknown = applied.Where(v => Steps.All(s => s.Version != v)).Order().ToList();
        if (unknown.Count > 0)
            throw new InvalidOperationException(
                $"The {Dialect} database {database} has run schema step {string.Join(", ", unknown)}, which this CareTwin does not have (it has {string.Join(", ", Steps.Select(s => s.Version))}); refusing to use it. Run a CareTwin built with every step the database has run.");
        return Steps.Where(step => !applied.Contains(step.Version)).ToList();
    }

    /// <summary>Fails unless the database now lists every step (a step that forgot to record itself).</summary>
    public void Verify(IReadOnlyCollection<int> applied, string database)
    {
        var missing = Steps.Where(s => !applied.Contains(s.Version)).Select(s => s.Name).ToList();
        if (missing.Count > 0)
            throw new InvalidOperationException($"After migrating, the {Dialect} database {database} does not list schema step {string.Join(", ", missing)} in schema_version.");
    }

    private static Migration Read(Assembly assembly, string resource, string fileName)
    {
        var underscore = fileName.IndexOf('_');
        if (underscore <= 0 || !int.TryParse(fileName.AsSpan(0, underscore), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            throw new InvalidOperationException($"Schema step '{fileName}' is not named NNNN_description.sql.");
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return new Migration(version, fileName, reader.ReadToEnd());
    }
}
