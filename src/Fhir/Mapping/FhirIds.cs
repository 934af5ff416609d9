using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace CareTwin.Fhir.Mapping;

/// <summary>
/// FHIR ids for a child's records. A Patient's id is the child's id with '_' written as '.' (FHIR ids allow letters,
/// digits, '-' and '.'; child ids never hold a '.', so it reads back). A transition, blocker or appointment is that id,
/// a '.', and its own id within the child ("transition-1", "blocker-2"), so a read finds the child it belongs to.
/// An agency's Organization id is its service key ("housing.eastmarsh").
/// </summary>
public static partial class FhirIds
{
    public static string Patient(string childId) => childId.Replace('_', '.');

    public static string Part(string childId, string partId) => $"{Patient(childId)}.{partId}";

    /// <summary>The child a Patient id names; false for an id no child of CareTwin's can have.</summary>
    public static bool TryChild(string? patientId, [NotNullWhen(true)] out string? childId)
    {
        childId = patientId is { Length: > 0 and <= 64 } && FhirId().IsMatch(patientId) ? patientId.Replace('.', '_') : null;
        return childId is not null;
    }

    /// <summary>The child and the part (e.g. "blocker-2") an id of a child's record names; the part must start with <paramref name="prefix"/>.</summary>
    public static bool TryPart(string? id, string prefix, [NotNullWhen(true)] out string? childId, [NotNullWhen(true)] out string? partId)
    {
        childId = partId = null;
        var dot = id?.LastIndexOf('.') ?? -1;
        if (dot <= 0 || id!.Length > 64 || !FhirId().IsMatch(id)) return false;
        var part = id[(dot + 1)..];
        if (!part.StartsWith(prefix + "-", StringComparison.Ordinal) || !TryChild(id[..dot], out childId)) return false;
        partId = part;
        return true;
    }

    [GeneratedRegex("^[A-Za-z0-9.-]+$")]
    private static partial Regex FhirId();
}
