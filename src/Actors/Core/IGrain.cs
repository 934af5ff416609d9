namespace CareTwin.Actors;

/// <summary>Anything that can be addressed through the runtime: grain references and observer references.</summary>
public interface IAddressable;

/// <summary>Marker for grain interfaces.</summary>
public interface IGrain : IAddressable;

public interface IGrainWithStringKey : IGrain;

public interface IGrainWithGuidKey : IGrain;

/// <summary>Marker for observer interfaces: objects outside the runtime that grains call back.</summary>
public interface IGrainObserver : IAddressable;
