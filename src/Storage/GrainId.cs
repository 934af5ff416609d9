namespace CareTwin.Storage;

/// <summary>Identity of a grain: its grain type name and its key. Stable across restarts; used as the storage key.</summary>
public readonly record struct GrainId(string Type, string Key)
{
    public override string ToString() => $"{Type}/{Key}";

    /// <summary>Parses the "type/key" form written by <see cref="ToString"/>; the key may itself contain '/'.</summary>
    public static GrainId Parse(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        var slash = value.IndexOf('/');
        if (slash <= 0 || slash == value.Length - 1)
            throw new FormatException($"'{value}' is not a grain id of the form type/key.");
        return new GrainId(value[..slash], value[(slash + 1)..]);
    }
}
