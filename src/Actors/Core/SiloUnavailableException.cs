namespace CareTwin.Actors;

/// <summary>The runtime is stopping or stopped: the call was not made. Callers map it to "service unavailable".</summary>
public sealed class SiloUnavailableException(string message) : Exception(message);
