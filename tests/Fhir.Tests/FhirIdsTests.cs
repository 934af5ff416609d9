using CareTwin.Fhir.Mapping;

namespace CareTwin.Fhir.Tests;

/// <summary>FHIR ids allow no '_', which child ids may hold: the ids CareTwin serves read back to the same child.</summary>
public sealed class FhirIdsTests
{
    [Theory]
    [InlineData("demo-0001")]
    [InlineData("pas_RTB_000123")]
    public void A_childs_ids_read_back_to_the_child(string childId)
    {
        Assert.Matches("^[A-Za-z0-9.-]{1,64}$", FhirIds.Patient(childId));
        Assert.True(FhirIds.TryChild(FhirIds.Patient(childId), out var patientChild));
        Assert.Equal(childId, patientChild);

        Assert.True(FhirIds.TryPart(FhirIds.Part(childId, "blocker-12"), "blocker", out var child, out var part));
        Assert.Equal((childId, "blocker-12"), (child, part));
        Assert.False(FhirIds.TryPart(FhirIds.Part(childId, "blocker-12"), "appointment", out _, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("under_score")]
    [InlineData("blocker-1")]
    public void An_id_no_record_of_CareTwin_can_have_names_no_part(string id) =>
        Assert.False(FhirIds.TryPart(id, "blocker", out _, out _));
}
