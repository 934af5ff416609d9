using CareTwin.Fhir.Mapping;
using CareTwin.Journey.Children;
using Microsoft.AspNetCore.Http;

namespace CareTwin.Fhir.Endpoints;

/// <summary>
/// The search parameters each resource type answers to, and reading their values. Anything else is refused (400 with
/// an OperationOutcome naming it) rather than ignored, so a client never takes a wider answer for a narrower one.
/// </summary>
public static class FhirSearch
{
    /// <summary>Understood on every request: the format asked for (JSON only).</summary>
    public const string Format = "_format";

    private static readonly HashSet<string> JsonFormats = new(StringComparer.OrdinalIgnoreCase) { "json", "application/json", "application/fhir+json" };

    /// <summary>Refuses any parameter not in <paramref name="known"/> (and an XML <c>_format</c>, which CareTwin does not write).</summary>
    public static void Check(HttpRequest request, string type, params string[] known)
    {
        foreach (var (name, values) in request.Query)
        {
            if (name == Format)
            {
                if (values.Any(v => v is null || !JsonFormats.Contains(v.Split(';')[0].Trim())))
                    throw new FhirRefusal(StatusCodes.Status406NotAcceptable, Hl7.Fhir.Model.OperationOutcome.IssueType.NotSupported,
                        "CareTwin writes FHIR as JSON only: leave out _format, or ask for _format=json.");
                continue;
            }
            if (!known.Contains(name, StringComparer.Ordinal))
                throw FhirRefusal.BadSearch(known.Length == 0
                    ? $"Unknown parameter '{name}': {type} takes no search parameters here."
                    : $"Unknown search parameter '{name}' for {type}; CareTwin searches {type} by {string.Join(", ", known)}.");
        }
    }

    /// <summary>The one value of a parameter, or null when it is not given; refused when given more than once or empty.</summary>
    public static string? Single(HttpRequest request, string name)
    {
        if (!request.Query.TryGetValue(name, out var values)) return null;
        if (values.Count != 1 || string.IsNullOrWhiteSpace(values[0]))
            throw FhirRefusal.BadValue($"Give '{name}' once, with a value.");
        if (values[0]!.Contains(','))
            throw FhirRefusal.BadValue($"'{name}' takes one value here, not a list.");
        return values[0];
    }

    /// <summary>
    /// <c>identifier=https://fhir.nhs.uk/Id/nhs-number|9434765919</c> (or the number alone): the NHS number asked for.
    /// Another identifier system, or a number that is not a valid NHS number, is refused.
    /// </summary>
    public static NhsNumber NhsNumberIn(string identifier)
    {
        var bar = identifier.IndexOf('|');
        var system = bar < 0 ? null : identifier[..bar];
        var value = bar < 0 ? identifier : identifier[(bar + 1)..];
        if (system is { Length: > 0 } && system != FhirSystems.NhsNumber)
            throw FhirRefusal.BadValue($"CareTwin finds patients by NHS number only: use identifier={FhirSystems.NhsNumber}|<10 digits>, not the system '{system}'.");
        if (!NhsNumber.TryParse(value, out var number, out var problem))
            throw FhirRefusal.BadValue($"The identifier is not a valid NHS number: {problem}");
        return number;
    }

    /// <summary><c>patient=Patient/{id}</c> (or the id alone, or a full URL ending so): the child it names.</summary>
    public static string ChildIn(string patient)
    {
        var id = patient;
        var at = patient.LastIndexOf("Patient/", StringComparison.Ordinal);
        if (at >= 0) id = patient[(at + "Patient/".Length)..];
        if (!FhirIds.TryChild(id, out var childId))
            throw FhirRefusal.BadValue($"'{patient}' is not a Patient reference: give patient=Patient/<id> or the id alone.");
        return childId;
    }
}
