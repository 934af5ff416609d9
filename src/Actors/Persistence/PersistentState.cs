using CareTwin.Storage;

namespace CareTwin.Actors.Runtime;

/// <summary>An <see cref="IPersistentState{TState}"/> bound to one activation; read before OnActivateAsync.</summary>
internal sealed class PersistentState<TState> : IPersistentState<TState>, IGrainState<TState>, IActivationParticipant
{
    private readonly ActivationData _activation;
    private readonly string _stateName;
    private readonly string _storageName;
    private readonly IGrainStorage _storage;

    private PersistentState(ActivationData activation, string stateName, string? storageName)
    {
        if (typeof(TState).IsClass && typeof(TState).GetConstructor(Type.EmptyTypes) is null)
            throw new InvalidOperationException(
                $"Grain {activation.GrainId}: state '{stateName}' has type {typeof(TState).Name}, which needs a public parameterless constructor.");
        _activation = activation;
        _stateName = stateName;
        _storageName = storageName ?? activation.Runtime.Options.DefaultStorageName;
        _storage = activation.Runtime.GetStorage(storageName, activation.GrainId);
        State = Activator.CreateInstance<TState>();
    }

    internal static object Create(ActivationData activation, string stateName, string? storageName)
    {
        var state = new PersistentState<TState>(activation, stateName, storageName);
        activation.AddParticipant(state);
        return state;
    }

    public TState State { get; set; }

    public string? Etag { get; private set; }

    public bool RecordExists { get; set; }

    string? IGrainState<TState>.ETag { get => Etag; set => Etag = value; }

    public async Task ReadStateAsync()
    {
        var stored = await _storage.ReadStateAsync(_activation.GrainId, _stateName, CancellationToken.None);
        if (stored?.Payload is null)
        {
            State = Activator.CreateInstance<TState>();
            Etag = stored?.ETag;
            RecordExists = false;
            return;
        }
        try
        {
            State = _activation.Runtime.Serializer.Deserialize<TState>(stored.Payload);
        }
        catch (Exception ex)
        {
            throw new StateDeserializationException(
                $"State '{_stateName}' of grain {_activation.GrainId} in storage '{_storageName}' could not be read as {typeof(TState).Name}: {ex.Message}", ex);
        }
        Etag = stored.ETag;
        RecordExists = true;
    }

    public async Task WriteStateAsync()
    {
        var payload = _activation.Runtime.Serializer.Serialize(State);
        try
        {
            Etag = await _storage.WriteStateAsync(_activation.GrainId, _stateName, payload, Etag, CancellationToken.None);
            RecordExists = true;
        }
        catch (InconsistentStateException ex)
        {
            throw Stale("write", ex);
        }
    }

    public async Task ClearStateAsync()
    {
        try
        {
            Etag = await _storage.ClearStateAsync(_activation.GrainId, _stateName, Etag, CancellationToken.None);
        }
        catch (InconsistentStateException ex)
        {
            throw Stale("clear", ex);
        }
        State = Activator.CreateInstance<TState>();
        RecordExists = false;
    }

    Task IActivationParticipant.OnActivatingAsync(CancellationToken cancellationToken) => ReadStateAsync();

    Task IActivationParticipant.OnDeactivatingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private InconsistentStateException Stale(string action, InconsistentStateException ex) =>
        new($"Could not {action} state '{_stateName}' of grain {_activation.GrainId}: it was changed elsewhere " +
            $"(stored version {ex.StoredEtag ?? "none"}, this activation read {Etag ?? "none"}).", ex.StoredEtag, Etag, ex);
}
