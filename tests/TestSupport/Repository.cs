namespace CareTwin.Testing;

/// <summary>The checkout these tests were built from, found from the test binaries upwards.</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "CareTwin.sln"))) return directory.FullName;
        throw new InvalidOperationException($"No CareTwin.sln above {AppContext.BaseDirectory}.");
    }
}
