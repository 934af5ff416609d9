using Hl7.Fhir.Model;

namespace CareTwin.Fhir.Mapping;

/// <summary>Search results and <c>$everything</c> as FHIR searchset Bundles.</summary>
public static class FhirBundles
{
    /// <param name="baseUrl">The API's base (".../fhir/R4"), for each entry's fullUrl.</param>
    /// <param name="self">The request as made, the Bundle's self link.</param>
    /// <param name="matches">What the search asked for.</param>
    /// <param name="included">What comes with them (for <c>$everything</c>: all but the Patient).</param>
    public static Bundle SearchSet(string baseUrl, string self, IEnumerable<Resource> matches, IEnumerable<Resource>? included = null)
    {
        var bundle = new Bundle { Type = Bundle.BundleType.Searchset, Link = [new Bundle.LinkComponent { Relation = "self", Url = self }] };
        foreach (var resource in matches)
            bundle.Entry.Add(Entry(baseUrl, resource, Bundle.SearchEntryMode.Match));
        bundle.Total = bundle.Entry.Count;
        foreach (var resource in included ?? [])
            bundle.Entry.Add(Entry(baseUrl, resource, Bundle.SearchEntryMode.Include));
        return bundle;
    }

    private static Bundle.EntryComponent Entry(string baseUrl, Resource resource, Bundle.SearchEntryMode mode) => new()
    {
        FullUrl = $"{baseUrl}/{resource.TypeName}/{resource.Id}",
        Resource = resource,
        Search = new Bundle.SearchComponent { Mode = mode },
    };
}
