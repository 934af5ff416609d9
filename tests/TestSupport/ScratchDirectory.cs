namespace CareTwin.Testing;

/// <summary>A test's own temporary folder (a database file, a host's data).</summary>
public static class ScratchDirectory
{
    public static string Create(string prefix) => Directory.CreateTempSubdirectory(prefix).FullName;

    /// <summary>Removes it; one left behind (a file still held open) is harmless.</summary>
    public static void Remove(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
