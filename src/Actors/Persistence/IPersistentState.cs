namespace CareTwin.Actors;

/// <summary>The storage-facing view of a piece of grain state.</summary>
public interface IGrainState<TState>
{
    TState State { get; set; }

    /// <summary>Version tag of the stored record; a write with a stale tag is refused.</summary>
    string? ETag { get; set; }

    bool RecordExists { get; set; }
}

/// <summary>Grain state injected by the runtime; loaded before OnActivateAsync.</summary>
public interface IPersistentState<TState> : IStorage<TState>;

public interface IStorage<TState> : IStorage
{
    TState State { get; set; }
}

public interface IStorage
{
    string? Etag { get; }

    bool RecordExists { get; }

    Task ReadStateAsync();

    /// <summary>Writes the state; throws <see cref="Storage.InconsistentStateException"/> if the stored ETag moved on.</summary>
    Task WriteStateAsync();

    Task ClearStateAsync();
}

/// <summary>Marks a grain constructor parameter of type IPersistentState&lt;T&gt;.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class PersistentStateAttribute(string stateName, string? storageName = null) : Attribute
{
    public string StateName { get; } = stateName;

    public string? StorageName { get; } = storageName;
}
