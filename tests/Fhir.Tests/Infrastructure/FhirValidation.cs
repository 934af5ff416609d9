using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;

namespace CareTwin.Fhir.Tests.Infrastructure;

/// <summary>Firely's validator against the base R4 specification (specification.zip from Hl7.Fhir.Specification.Data.R4).</summary>
public static class FhirValidation
{
    private static readonly Lazy<Validator> Shared = new(() =>
    {
        var source = new CachedResolver(ZipSource.CreateValidationSource());
        return new Validator(source, new LocalTerminologyService(source));
    });

    /// <summary>The errors (and fatal issues) the validator finds; warnings and information are left out.</summary>
    public static IReadOnlyList<string> Errors(Resource resource)
    {
        OperationOutcome outcome;
        // The validator caches what it resolves; one validation at a time keeps that simple.
        lock (Shared)
            outcome = Shared.Value.Validate(resource);
        return [.. outcome.Issue
            .Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal)
            .Select(i => $"{resource.TypeName}/{resource.Id}: {i.Code} at {string.Join(",", i.Expression ?? [])}: {i.Details?.Text ?? i.Diagnostics}")];
    }

    /// <summary>Asserts that the resource, and every resource a Bundle carries, validates with no errors.</summary>
    public static void AssertValid(Resource resource)
    {
        var errors = Errors(resource).ToList();
        if (resource is Bundle bundle)
            errors.AddRange(bundle.Entry.Select(e => e.Resource).OfType<Resource>().SelectMany(Errors));
        Assert.True(errors.Count == 0, "FHIR validation errors:\n" + string.Join("\n", errors));
    }
}
