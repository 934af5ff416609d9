namespace CareTwin.Storage;

/// <summary>A write found the stored record at another version than the one this activation read.</summary>
public class InconsistentStateException : Exception
{
    public InconsistentStateException(string message, string? storedEtag = null, string? currentEtag = null, Exception? innerException = null)
        : base(message, innerException)
    {
        StoredEtag = storedEtag;
        CurrentEtag = currentEtag;
    }

    public string? StoredEtag { get; }

    public string? CurrentEtag { get; }
}

/// <summary>Stored bytes could not be turned back into the grain's state or events: never silently defaulted.</summary>
public sealed class StateDeserializationException(string message, Exception innerException) : Exception(message, innerException);
