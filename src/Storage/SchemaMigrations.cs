using System.Globalization;
using System.Reflection;

namespace CareTwin.Storage;

/// <summary>One schema step: <c>deploy/sql/{dialect}/NNNN_name.sql</c>, embedded into this assembly unchanged.</summary>
internal sealed record Migration(int Version, string Name, string Sql);

/// <summary>
/// The numbered schema steps of one database dialect. The files operators run by hand are the ones embedded
/// here; each step records its own number in <c>schema_version</c> and is written to be harmless when run twice.
/// </summary>
internal sealed class SchemaMigrations
{
    private SchemaMigrations(string dialect, IReadOnlyList<Migration> steps)
    {
        Dialect = dialect;
        Steps = steps;
    }

    public string Dialect { get; }

    public IReadOnlyList<Migration> Steps { get; }

    /// <summary>The schema version this code writes.</summary>
    public int Latest => Steps[^1].Version;

    public static SchemaMigrations Load(string dialect)
    {
        var assembly = typeof(SchemaMigrations).Assembly;
        var prefix = $"sql/{dialect}/";
        var steps = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name => Read(assembly, name, name[prefix.Length..]))
            .OrderBy(step => step.Version)
            .ToList();
        // A gap or a duplicate number is a packaging mistake; fail at start rather than skip a step.
        for (var i = 0; i < steps.Count; i++)
            if (steps[i].Version != i + 1)
                throw new InvalidOperationException($"The {dialect} schema steps are not numbered 1..n: found {string.Join(", ", steps.Select(s => s.Name))}.");
        if (steps.Count == 0) throw new InvalidOperationException($"No {dialect} schema steps are embedded in {assembly.GetName().Name}.");
        return new SchemaMigrations(dialect, steps);
    }

    /// <summary>The steps a database at <paramref name="current"/> still needs, in order; a newer database is refused.</summary>
    public IReadOnlyList<Migration> Pending(int current, string database)
    {
        if (current > Latest)
            throw new InvalidOperationException(
                $"The {Dialect} database {database} has schema version {current}, newer than this CareTwin's {Latest}; refusing to use it. Run a CareTwin at least as new as the database.");
        return Steps.Where(step => step.Version > current).ToList();
    }

    /// <summary>Fails unless the steps left the database at <see cref="Latest"/> (a step that forgot to record itself).</summary>
    public void Verify(int reached, string database)
    {
        if (reached != Latest)
            throw new InvalidOperationException($"After migrating, the {Dialect} database {database} reports schema version {reached}, expected {Latest}.");
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
