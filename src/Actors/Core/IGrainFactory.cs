namespace CareTwin.Actors;

public interface IGrainFactory
{
    /// <summary>A reference to the grain of this interface with this key; the grain activates on its first call.</summary>
    TGrainInterface GetGrain<TGrainInterface>(string primaryKey) where TGrainInterface : IGrainWithStringKey;

    TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey) where TGrainInterface : IGrainWithGuidKey;

    /// <summary>A reference to a grain by id (e.g. from a reminder row), seen through one of its interfaces.</summary>
    TGrainInterface GetGrain<TGrainInterface>(GrainId grainId) where TGrainInterface : IAddressable;

    /// <summary>Wraps a local observer so grains can call it; calls are queued, never run on the grain's turn.</summary>
    TObserver CreateObjectReference<TObserver>(IGrainObserver observer) where TObserver : IGrainObserver;

    void DeleteObjectReference<TObserver>(IGrainObserver observer) where TObserver : IGrainObserver;
}

/// <summary>The client view of the runtime, used by hosts (web, gRPC) outside grains.</summary>
public interface IClusterClient : IGrainFactory
{
    IServiceProvider ServiceProvider { get; }
}
