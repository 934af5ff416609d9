namespace CareTwin.Storage.Postgres;

/// <summary>Settings of <see cref="PostgresStorageProvider"/> (configuration section "Storage:Postgres").</summary>
public sealed class PostgresStorageOptions
{
    /// <summary>An Npgsql connection string: Host=…;Port=5432;Database=caretwin;Username=caretwin;Password=…</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>Most writes committed in one transaction (group commit).</summary>
    public int MaxBatchSize { get; set; } = 512;
}
