using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Microsoft.AspNetCore.Http;

namespace CareTwin.Fhir.Endpoints;

/// <summary>Writes FHIR resources as <c>application/fhir+json</c> with Firely's serializer.</summary>
public static class FhirResults
{
    public const string ContentType = "application/fhir+json; charset=utf-8";

    /// <summary>Firely's System.Text.Json converters for the R4 model.</summary>
    public static JsonSerializerOptions Json { get; } = new JsonSerializerOptions().ForFhir(ModelInfo.ModelInspector);

    public static IResult Resource(Resource resource, int status = StatusCodes.Status200OK) => new ResourceResult(resource, status);

    public static OperationOutcome Outcome(OperationOutcome.IssueType code, string diagnostics) => new()
    {
        Issue = [new OperationOutcome.IssueComponent { Severity = OperationOutcome.IssueSeverity.Error, Code = code, Diagnostics = diagnostics }],
    };

    private sealed class ResourceResult(Resource resource, int status) : IResult
    {
        public async System.Threading.Tasks.Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = status;
            http.Response.ContentType = ContentType;
            await JsonSerializer.SerializeAsync(http.Response.Body, resource, resource.GetType(), Json, http.RequestAborted);
        }
    }
}
