namespace CareTwin.Fhir.Mapping;

/// <summary>The identifier and code systems CareTwin's FHIR resources use.</summary>
public static class FhirSystems
{
    /// <summary>The NHS number, as UK Core identifies a patient by it.</summary>
    public const string NhsNumber = "https://fhir.nhs.uk/Id/nhs-number";

    /// <summary>Where CareTwin's own code systems live (its words for transitions, stages, blockers and agencies).</summary>
    public const string CareTwin = "https://caretwin.nhs.uk/fhir";

    public const string ServiceKey = CareTwin + "/Id/service-key";
    public const string TransitionKind = CareTwin + "/CodeSystem/transition-kind";
    public const string Stage = CareTwin + "/CodeSystem/transition-stage";
    public const string Milestone = CareTwin + "/CodeSystem/transition-milestone";
    public const string BlockerCategory = CareTwin + "/CodeSystem/blocker-category";
    public const string Escalation = CareTwin + "/CodeSystem/escalation";
    public const string AgencyKind = CareTwin + "/CodeSystem/agency-kind";

    /// <summary>HL7's confidentiality codes: "R" (restricted) marks a sensitive (safeguarding) blocker.</summary>
    public const string Confidentiality = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality";
}
