using CareTwin.Fhir.Mapping;
using CareTwin.Grains.Access;
using CareTwin.Grains.Services;
using CareTwin.Journey.Children;
using CareTwin.Journey.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using R4 = Hl7.Fhir.Model;

namespace CareTwin.Fhir.Endpoints;

/// <summary>
/// The read-only FHIR R4 API at <c>/fhir/R4</c>. Thin: each endpoint identifies the caller (<see cref="FhirCallers"/>),
/// reads through the access gate (<see cref="FhirRecords"/>), maps with <see cref="FhirMapping"/> and writes JSON.
/// Every failure is an OperationOutcome with its HTTP status, never a stack trace.
/// </summary>
public static partial class FhirEndpoints
{
    public static RouteGroupBuilder MapCareTwinFhir(this IEndpointRouteBuilder endpoints)
    {
        var fhir = endpoints.MapGroup(FhirOptions.BasePath);
        fhir.AddEndpointFilter(AnswerFailures);

        // Public, as FHIR servers' metadata is: it says what the API does and holds nothing about anyone.
        fhir.MapGet("/metadata", (HttpContext http, TimeProvider time) =>
        {
            FhirSearch.Check(http.Request, "metadata");
            return FhirResults.Resource(FhirCapabilities.Statement(BaseUrl(http), time.GetUtcNow()));
        });

        fhir.MapGet("/Patient", SearchPatientsAsync);
        fhir.MapGet("/Patient/{id}", async (string id, HttpContext http, FhirCallers callers, FhirRecords records) =>
        {
            FhirSearch.Check(http.Request, "Patient read");
            var (_, journey) = await ChildAsync(http, callers, records, id, "FHIR Patient read");
            return FhirResults.Resource(FhirMapping.Patient(journey?.Child ?? throw FhirRefusal.NotFound("Patient", id)));
        });
        fhir.MapGet("/Patient/{id}/$everything", async (string id, HttpContext http, FhirCallers callers, FhirRecords records) =>
        {
            FhirSearch.Check(http.Request, "Patient/$everything");
            var (_, journey) = await ChildAsync(http, callers, records, id, "FHIR Patient $everything");
            if (journey is null) throw FhirRefusal.NotFound("Patient", id);
            var everything = FhirMapping.Everything(journey, await records.DirectoryAsync(), await records.ForecastsAsync());
            return FhirResults.Resource(FhirBundles.SearchSet(BaseUrl(http), SelfUrl(http), everything.Take(1), everything.Skip(1)));
        });

        MapChildParts(fhir, "EpisodeOfCare", "transition",
            (journey, _, _) => journey.Transitions.Select(t => (R4.Resource)FhirMapping.EpisodeOfCare(journey.Child!, t)));
        MapChildParts(fhir, "CarePlan", "transition",
            (journey, _, forecasts) => journey.Transitions.Select(t => (R4.Resource)FhirMapping.CarePlan(journey, t, forecasts.For(journey, t))));
        MapChildParts(fhir, "Task", "blocker",
            (journey, services, _) => journey.Blockers.Select(b => (R4.Resource)FhirMapping.Task(journey.Child!, b, services)));
        MapChildParts(fhir, "Appointment", "appointment",
            (journey, services, _) => journey.Appointments.Select(a => (R4.Resource)FhirMapping.Appointment(journey.Child!, a, services)));

        fhir.MapGet("/Organization", async (HttpContext http, FhirCallers callers, FhirRecords records) =>
        {
            FhirSearch.Check(http.Request, "Organization");
            var caller = await callers.IdentifyAsync(http, AccessAction.ViewService);
            if (await records.DirectoryReadAsync(caller, "service-directory", http) is { Allowed: false } refused)
                throw FhirRefusal.Forbidden(refused.Reason);
            var directory = await records.DirectoryAsync();
            var organizations = directory.Profiles.Values.OrderBy(p => p.Key.Value, StringComparer.Ordinal).Select(p => FhirMapping.Organization(p.Key, p));
            return FhirResults.Resource(FhirBundles.SearchSet(BaseUrl(http), SelfUrl(http), organizations));
        });
        fhir.MapGet("/Organization/{id}", async (string id, HttpContext http, FhirCallers callers, FhirRecords records) =>
        {
            FhirSearch.Check(http.Request, "Organization read");
            var caller = await callers.IdentifyAsync(http, AccessAction.ViewService);
            if (!ServiceKey.TryParse(id, out var key)) throw FhirRefusal.NotFound("Organization", id);
            if (await records.DirectoryReadAsync(caller, $"service/{key}", http) is { Allowed: false } refused)
                throw FhirRefusal.Forbidden(refused.Reason);
            var profile = (await records.DirectoryAsync()).Find(key) ?? throw FhirRefusal.NotFound("Organization", id);
            return FhirResults.Resource(FhirMapping.Organization(key, profile));
        });

        // Anything else under /fhir/R4: a type CareTwin does not serve, or a write to this read-only API.
        fhir.Map("/{**rest}", (HttpContext http) => throw (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)
            ? new FhirRefusal(StatusCodes.Status404NotFound, R4.OperationOutcome.IssueType.NotSupported,
                $"CareTwin's FHIR API does not serve '{http.Request.Path}'. See {FhirOptions.BasePath}/metadata for what it does.")
            : new FhirRefusal(StatusCodes.Status405MethodNotAllowed, R4.OperationOutcome.IssueType.NotSupported,
                "CareTwin's FHIR API is read-only: send changes through the caretwin.v1 API.")));
        return fhir;
    }

    /// <summary>A resource type that is part of a child's record: read by its id ("{patient}.{part}") and searched by patient.</summary>
    private static void MapChildParts(RouteGroupBuilder fhir, string type, string partPrefix, Func<ChildJourney, IServiceDirectory, FhirForecasts, IEnumerable<R4.Resource>> parts)
    {
        fhir.MapGet($"/{type}/{{id}}", async (string id, HttpContext http, FhirCallers callers, FhirRecords records) =>
        {
            FhirSearch.Check(http.Request, $"{type} read");
            var childId = FhirIds.TryPart(id, partPrefix, out var child, out _) ? child : null;
            var caller = await callers.IdentifyAsync(http, AccessAction.ViewChild, childId is null ? [] : [ChildSubject(childId)]);
            if (childId is null) throw FhirRefusal.NotFound(type, id);
            var journey = await records.ChildAsync(caller, childId, http, $"FHIR {type} read") ?? throw FhirRefusal.NotFound(type, id);
            // A blocker hidden from this caller is not in the journey they were given: the same answer as one that never was.
            var resource = parts(journey, await records.DirectoryAsync(), await records.ForecastsAsync()).FirstOrDefault(r => r.Id == id) ?? throw FhirRefusal.NotFound(type, id);
            return FhirResults.Resource(resource);
        });
        fhir.MapGet($"/{type}", async (HttpContext http, FhirCallers callers, FhirRecords records) =>
        {
            FhirSearch.Check(http.Request, type, "patient");
            var patient = FhirSearch.Single(http.Request, "patient")
                ?? throw FhirRefusal.BadSearch($"Search {type} by patient (patient=Patient/<id>); CareTwin does not list every child's records.");
            var childId = FhirSearch.ChildIn(patient);
            var caller = await callers.IdentifyAsync(http, AccessAction.ViewChild, ChildSubject(childId));
            // A child the caller may not see, and one that does not exist, both have nothing to find.
            var journey = await records.ChildAsync(caller, childId, http, $"FHIR {type} search");
            var found = journey is null ? [] : parts(journey, await records.DirectoryAsync(), await records.ForecastsAsync());
            return FhirResults.Resource(FhirBundles.SearchSet(BaseUrl(http), SelfUrl(http), found));
        });
    }

    /// <summary>Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|{nhs}: the children with that NHS number the caller may see.</summary>
    private static async Task<IResult> SearchPatientsAsync(HttpContext http, FhirCallers callers, FhirRecords records)
    {
        FhirSearch.Check(http.Request, "Patient", "identifier");
        var identifier = FhirSearch.Single(http.Request, "identifier")
            ?? throw FhirRefusal.BadSearch($"Search Patient by NHS number: identifier={FhirSystems.NhsNumber}|<10 digits>.");
        var number = FhirSearch.NhsNumberIn(identifier);
        var caller = await callers.IdentifyAsync(http, AccessAction.ViewChild);
        var patients = new List<R4.Resource>();
        foreach (var childId in await records.ChildrenWithAsync(number))
        {
            if (await records.ChildAsync(caller, childId, http, "FHIR Patient search by NHS number") is { Child: { } child } && child.NhsNumber == number)
                patients.Add(FhirMapping.Patient(child));
        }
        return FhirResults.Resource(FhirBundles.SearchSet(BaseUrl(http), SelfUrl(http), patients));
    }

    private static async Task<(Caller Caller, ChildJourney? Journey)> ChildAsync(HttpContext http, FhirCallers callers, FhirRecords records, string patientId, string detail)
    {
        var childId = FhirIds.TryChild(patientId, out var child) ? child : null;
        var caller = await callers.IdentifyAsync(http, AccessAction.ViewChild, childId is null ? [] : [ChildSubject(childId)]);
        return (caller, childId is null ? null : await records.ChildAsync(caller, childId, http, detail));
    }

    private static string ChildSubject(string childId) => $"child/{childId}";

    private static string BaseUrl(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}{FhirOptions.BasePath}";

    private static string SelfUrl(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}{http.Request.Path}{http.Request.QueryString}";

    /// <summary>A refusal becomes its OperationOutcome; anything unexpected a 500 OperationOutcome quoting the trace id the log has it under.</summary>
    private static async ValueTask<object?> AnswerFailures(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        try
        {
            return await next(context);
        }
        catch (FhirRefusal refusal)
        {
            if (refusal.Status == StatusCodes.Status401Unauthorized)
                http.Response.Headers.WWWAuthenticate = "Bearer";
            return FhirResults.Resource(refusal.Outcome(), refusal.Status);
        }
        catch (Exception unexpected) when (!http.RequestAborted.IsCancellationRequested)
        {
            var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(FhirEndpoints));
            Log.Failed(logger, unexpected, http.Request.Path, http.TraceIdentifier);
            return FhirResults.Resource(FhirResults.Outcome(R4.OperationOutcome.IssueType.Exception,
                $"CareTwin could not answer this request; the operator can find it in the log under trace id {http.TraceIdentifier}."),
                StatusCodes.Status500InternalServerError);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "FHIR request {Path} failed (trace id {TraceId})")]
        public static partial void Failed(ILogger logger, Exception exception, string path, string traceId);
    }
}
