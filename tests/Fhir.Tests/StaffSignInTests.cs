using System.Net;
using CareTwin.Fhir.Mapping;
using CareTwin.Fhir.Tests.Infrastructure;
using CareTwin.Journey.Blockers;
using CareTwin.Testing;
using Hl7.Fhir.Model;

namespace CareTwin.Fhir.Tests;

/// <summary>People read FHIR with their web sign-in, under the same policy as the pages: staff by role, never families or operators.</summary>
[Collection(FhirSiteCollection.Name)]
public sealed class StaffSignInTests(FhirSite fhir)
{
    [Fact]
    public async System.Threading.Tasks.Task Staff_read_as_their_role_allows_and_families_and_operators_read_nothing()
    {
        var childId = await fhir.Site.RegisterChildAsync("Isla", "Reid");
        await fhir.Site.RaiseBlockerAsync(childId, BlockerCategory.HousingAdaptation, FhirSite.HousingService, "Ramp and wet room", "Getting your home ready");
        await fhir.Site.RaiseBlockerAsync(childId, BlockerCategory.SocialCareSafeguarding, FhirSite.SocialCareService, "Strategy meeting booked", null, sensitive: true);
        var patient = FhirIds.Patient(childId);

        // A coordinator sees every blocker, the sensitive one too.
        var coordinator = await RawHubClient.SignInAsync(fhir.Site.Address, "coordinator");
        var (status, everything) = await fhir.GetSignedInAsync($"Patient/{patient}/$everything", coordinator);
        Assert.Equal(HttpStatusCode.OK, status);
        FhirValidation.AssertValid(everything);
        Assert.Equal(2, ((Bundle)everything).Entry.Count(e => e.Resource is Hl7.Fhir.Model.Task));

        // The housing officer sees the child (housing is involved) but not social care's sensitive blocker.
        var housing = await RawHubClient.SignInAsync(fhir.Site.Address, "housing-officer");
        var (housingStatus, tasks) = await fhir.GetSignedInAsync($"Task?patient=Patient/{patient}", housing);
        Assert.Equal(HttpStatusCode.OK, housingStatus);
        Assert.Equal("Ramp and wet room", Assert.IsType<Hl7.Fhir.Model.Task>(Assert.Single(((Bundle)tasks).Entry).Resource).Description);

        // The child's family has the family view, not the professional record; an operator sees no child at all.
        var family = await RawHubClient.JoinAsync(fhir.Site.Address, await fhir.Site.InviteCodeAsync(childId), "Morag Reid");
        var operatorCookies = await RawHubClient.SignInAsync(fhir.Site.Address, "operator");
        foreach (var cookies in new[] { family, operatorCookies })
        {
            var (refused, outcome) = await fhir.GetSignedInAsync($"Patient/{patient}/$everything", cookies);
            Assert.Equal(HttpStatusCode.NotFound, refused);
            Assert.Equal(OperationOutcome.IssueType.NotFound, Assert.IsType<OperationOutcome>(outcome).Issue.Single().Code);
        }

        var trail = await fhir.Site.AuditOfAsync(childId);
        Assert.Contains(trail, e => e.Channel == "fhir" && e.Allowed && e.Detail == "FHIR Patient $everything");
        Assert.Contains(trail, e => e.Channel == "fhir" && !e.Allowed && e.Detail == "FHIR Patient $everything");
    }
}
