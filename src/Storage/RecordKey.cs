namespace CareTwin.Storage;

/// <summary>Whose record: a twin's type name and key ("child", "c-001"). Stable across restarts; the storage key.</summary>
public readonly record struct RecordKey(string Type, string Key)
{
    public override string ToString() => $"{Type}/{Key}";

    /// <summary>Parses the "type/key" form written by <see cref="ToString"/>; the key may itself contain '/'.</summary>
    public static RecordKey Parse(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        var slash = value.IndexOf('/');
        if (slash <= 0 || slash == value.Length - 1)
            throw new FormatException($"'{value}' is not a record key of the form type/key.");
        return new RecordKey(value[..slash], value[(slash + 1)..]);
    }
}
