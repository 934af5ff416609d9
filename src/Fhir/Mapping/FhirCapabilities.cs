using Hl7.Fhir.Model;

namespace CareTwin.Fhir.Mapping;

/// <summary>What CareTwin's FHIR API does, as its CapabilityStatement (<c>GET /fhir/R4/metadata</c>).</summary>
public static class FhirCapabilities
{
    public const string PatientEverything = "http://hl7.org/fhir/OperationDefinition/Patient-everything";

    /// <summary>The search parameters each type answers to (besides <c>_format</c>); nothing else is accepted.</summary>
    public static readonly IReadOnlyDictionary<string, (string Name, SearchParamType Type, string Documentation)[]> SearchParameters =
        new Dictionary<string, (string, SearchParamType, string)[]>
        {
            ["Patient"] = [("identifier", SearchParamType.Token, $"The NHS number: identifier={FhirSystems.NhsNumber}|<10 digits>.")],
            ["EpisodeOfCare"] = [("patient", SearchParamType.Reference, "The child's transitions: patient=Patient/<id>.")],
            ["CarePlan"] = [("patient", SearchParamType.Reference, "The child's transition plans: patient=Patient/<id>.")],
            ["Task"] = [("patient", SearchParamType.Reference, "The child's blockers: patient=Patient/<id>.")],
            ["Appointment"] = [("patient", SearchParamType.Reference, "The child's appointments: patient=Patient/<id>.")],
            ["Organization"] = [],
        };

    public static CapabilityStatement Statement(string baseUrl, DateTimeOffset now)
    {
        var rest = new CapabilityStatement.RestComponent
        {
            Mode = CapabilityStatement.RestfulCapabilityMode.Server,
            Documentation = "Read-only. Authenticate with an API key (x-api-key or Authorization: Bearer) or a CareTwin staff sign-in; "
                + "every read of a child is checked against CareTwin's access policy and written to the child's audit trail.",
        };
        foreach (var (type, parameters) in SearchParameters)
        {
            var resource = new CapabilityStatement.ResourceComponent
            {
                Type = type,
                Interaction =
                [
                    new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.Read },
                    new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.SearchType },
                ],
                SearchParam = [.. parameters.Select(p => new CapabilityStatement.SearchParamComponent { Name = p.Name, Type = p.Type, Documentation = p.Documentation })],
            };
            if (type == "Patient")
                resource.Operation.Add(new CapabilityStatement.OperationComponent { Name = "everything", Definition = PatientEverything });
            rest.Resource.Add(resource);
        }
        return new CapabilityStatement
        {
            Status = PublicationStatus.Active,
            Date = new FhirDateTime(now.ToUniversalTime()).Value,
            Kind = CapabilityStatementKind.Instance,
            Software = new CapabilityStatement.SoftwareComponent { Name = "CareTwin" },
            Implementation = new CapabilityStatement.ImplementationComponent { Description = "CareTwin: children's journeys between hospital, home and the services around them", Url = baseUrl },
            FhirVersion = FHIRVersion.N4_0_1,
            Format = ["json"],
            Rest = [rest],
        };
    }
}
