using System.Text;

namespace CareTwin.Api.Mapping;

/// <summary>
/// The proto field a model refusal is about. The model names fields as in its JSON (camelCase paths like
/// <c>careTeam[0].name</c>); clients see the .proto's snake_case names (<c>care_team[0].name</c>).
/// </summary>
public static class ProtoFieldName
{
    // Where the proto field is not simply the model's name in snake_case.
    private static readonly Dictionary<string, string> Renamed = new(StringComparer.Ordinal)
    {
        ["origin.externalId"] = "external_id",
        ["duration"] = "duration_minutes",
        ["newDuration"] = "new_duration_minutes",
    };

    public static string Of(string modelField)
    {
        if (Renamed.TryGetValue(modelField, out var renamed))
            return renamed;
        var name = new StringBuilder(modelField.Length + 8);
        foreach (var c in modelField)
        {
            if (char.IsAsciiLetterUpper(c))
                name.Append('_').Append(char.ToLowerInvariant(c));
            else
                name.Append(c);
        }
        return name.ToString();
    }
}
