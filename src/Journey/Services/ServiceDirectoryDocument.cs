using System.Collections.Immutable;
using System.Text.Json;
using CareTwin.Journey.Serialization;

namespace CareTwin.Journey.Services;

/// <summary>
/// A trust's service directory as a document: <c>{"services": [profile, …]}</c> in the model's own JSON form
/// (camelCase, kebab-case kinds and categories). It is checked whole, so a directory with one bad service is not
/// half used; the problem names the service and the field.
/// </summary>
public static class ServiceDirectoryDocument
{
    private sealed record Document(ImmutableArray<ServiceProfile> Services);

    public static (ImmutableArray<ServiceProfile> Services, string? Problem) Parse(string json)
    {
        Document document;
        try
        {
            document = JourneyJson.Deserialize<Document>(json);
        }
        catch (JsonException e)
        {
            return ([], $"it is not a service directory: {e.Message}");
        }
        if (document.Services.IsDefaultOrEmpty)
            return ([], "it lists no services: expected {\"services\": [ … ]}.");
        for (var i = 0; i < document.Services.Length; i++)
        {
            var profile = document.Services[i];
            if (ServiceProfileRules.Check(profile) is { } refusal)
                return ([], $"service {i + 1} ({profile?.Key?.Value ?? "without a key"}): {refusal.Message}");
        }
        if (document.Services.GroupBy(s => s.Key).FirstOrDefault(g => g.Count() > 1) is { } twice)
            return ([], $"service '{twice.Key.Value}' is listed more than once.");
        return (document.Services, null);
    }
}
