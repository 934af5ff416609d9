using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;

namespace CareTwin.Fhir.Endpoints;

/// <summary>A request CareTwin's FHIR API will not answer as asked: the HTTP status and the OperationOutcome that says why.</summary>
public sealed class FhirRefusal(int status, OperationOutcome.IssueType code, string diagnostics) : Exception(diagnostics)
{
    public int Status { get; } = status;

    public OperationOutcome.IssueType Code { get; } = code;

    public static FhirRefusal BadSearch(string diagnostics) => new(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.NotSupported, diagnostics);

    public static FhirRefusal BadValue(string diagnostics) => new(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Value, diagnostics);

    /// <summary>The one answer for a record that does not exist and one the caller may not see, so existence does not leak.</summary>
    public static FhirRefusal NotFound(string type, string id) =>
        new(StatusCodes.Status404NotFound, OperationOutcome.IssueType.NotFound, $"{type}/{id} is not known here, or is not yours to see.");

    public static FhirRefusal Unauthenticated(string problem) => new(StatusCodes.Status401Unauthorized, OperationOutcome.IssueType.Login, problem);

    public static FhirRefusal Forbidden(string diagnostics) => new(StatusCodes.Status403Forbidden, OperationOutcome.IssueType.Forbidden, diagnostics);

    public OperationOutcome Outcome() => FhirResults.Outcome(Code, Message);
}
