namespace CareTwin.Grains.Model.Journal;

/// <summary>
/// The key under which a change is remembered so a repeated push is a no-op. One string per key
/// keeps a twin small; the line feed cannot occur in either part because text validation refuses
/// control characters, so the key is unambiguous.
/// </summary>
public static class IdempotencyKey
{
    public static string Of(string sourceSystem, string externalId) => sourceSystem + "\n" + externalId;

    public static string Of(Provenance provenance) => Of(provenance.SourceSystem, provenance.ExternalId);
}
