namespace CareTwin.Fhir;

/// <summary>The FHIR API's settings (configuration section <c>Fhir</c>).</summary>
public sealed class FhirOptions
{
    public const string SectionName = "Fhir";

    /// <summary>Where the API answers.</summary>
    public const string BasePath = "/fhir/R4";

    /// <summary>
    /// The boards ("region:north-thames", "hospital:royal-thamesbank") a search by NHS number looks through: a child
    /// is found once its journey is on one of them. The host adds the boards the web offers.
    /// </summary>
    public List<string> SearchBoards { get; set; } = [];
}
