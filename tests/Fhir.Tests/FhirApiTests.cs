using System.Net;
using CareTwin.Fhir.Mapping;
using CareTwin.Fhir.Tests.Infrastructure;
using CareTwin.Grains.Access;
using CareTwin.Grains.Children;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Children;
using CareTwin.Journey.Demo;
using CareTwin.Testing;
using Hl7.Fhir.Model;
using JourneyAppointmentStatus = CareTwin.Journey.Appointments.AppointmentStatus;

namespace CareTwin.Fhir.Tests;

/// <summary>
/// The read-only FHIR R4 API against the real host with the demo region: what an EPR or a shared care record reads,
/// every resource checked with Firely's validator against base R4, and a demo child's $everything against the journey.
/// </summary>
[Collection(FhirSiteCollection.Name)]
public sealed class FhirApiTests(FhirSite fhir)
{
    private static readonly Caller EprCaller = Caller.ExternalSystem(FhirSite.EprSystem, "Royal Thamesbank EPR", [FhirSite.EprService], managesJourneys: true);

    [Fact]
    public async System.Threading.Tasks.Task Metadata_says_what_the_api_serves_and_is_valid_R4()
    {
        var statement = await fhir.ReadValidAsync<CapabilityStatement>("metadata", key: null);

        Assert.Equal(FHIRVersion.N4_0_1, statement.FhirVersion);
        var resources = statement.Rest.Single().Resource.ToDictionary(r => r.Type);
        Assert.Equal(["Appointment", "CarePlan", "EpisodeOfCare", "Organization", "Patient", "Task"], resources.Keys.Order());
        Assert.Equal("identifier", resources["Patient"].SearchParam.Single().Name);
        Assert.Equal("everything", resources["Patient"].Operation.Single().Name);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_demo_child_is_found_by_NHS_number_and_every_resource_it_has_is_valid_R4()
    {
        var (childId, journey) = await DemoChildAsync();
        var nhs = journey.Child!.NhsNumber.Digits;

        var found = await fhir.ReadValidAsync<Bundle>($"Patient?identifier={Uri.EscapeDataString(FhirSystems.NhsNumber)}|{nhs}", fhir.Epr);
        var patient = Assert.IsType<Patient>(Assert.Single(found.Entry).Resource);
        Assert.Equal(FhirIds.Patient(childId), patient.Id);
        Assert.Equal(nhs, patient.Identifier.Single(i => i.System == FhirSystems.NhsNumber).Value);

        var read = await fhir.ReadValidAsync<Patient>($"Patient/{patient.Id}", fhir.Epr);
        Assert.Equal(journey.Child.FamilyName, read.Name.Single().Family);
        Assert.Equal(journey.Child.DateOfBirth.ToString("yyyy-MM-dd"), read.BirthDate);

        // Every type: searched by patient, then each result read on its own; both valid and the same resource.
        foreach (var type in new[] { "EpisodeOfCare", "CarePlan", "Task", "Appointment" })
        {
            var bundle = await fhir.ReadValidAsync<Bundle>($"{type}?patient=Patient/{patient.Id}", fhir.Epr);
            Assert.NotEmpty(bundle.Entry);
            foreach (var entry in bundle.Entry)
            {
                var one = await fhir.ReadValidAsync<Resource>($"{type}/{entry.Resource.Id}", fhir.Epr);
                Assert.Equal(type, one.TypeName);
                Assert.True(entry.Resource.IsExactly(one), $"{type}/{one.Id} read alone differs from the search's");
            }
        }

        var organizations = await fhir.ReadValidAsync<Bundle>("Organization", fhir.Epr);
        Assert.Contains(organizations.Entry, e => e.Resource.Id == FhirSite.HousingService);
        var housing = await fhir.ReadValidAsync<Organization>($"Organization/{FhirSite.HousingService}", fhir.Epr);
        Assert.Equal("Eastmarsh Council housing team", housing.Name);

        await fhir.ReadValidAsync<Bundle>($"Patient/{patient.Id}/$everything", fhir.Epr);
    }

    [Fact]
    public async System.Threading.Tasks.Task Every_demo_childs_everything_is_valid_R4_whatever_state_its_journey_is_in()
    {
        var statuses = new HashSet<string>();
        foreach (var child in DemoRegionGenerator.Generate(CareTwinSite.DemoSeed, DateTimeOffset.UtcNow, FhirSite.DemoChildren).Children)
        {
            var everything = await fhir.ReadValidAsync<Bundle>($"Patient/{FhirIds.Patient(child.ChildId)}/$everything", fhir.Epr);
            foreach (var resource in everything.Entry.Select(e => e.Resource))
                statuses.Add(resource switch
                {
                    Hl7.Fhir.Model.Task task => $"Task {task.Status} {task.BusinessStatus.Coding[0].Code}",
                    Appointment appointment => $"Appointment {appointment.Status}",
                    EpisodeOfCare episode => $"EpisodeOfCare {episode.Status}",
                    _ => resource.TypeName,
                });
        }
        // The region has journeys in many states, so the mapping's branches were all validated, not one happy path.
        Assert.True(statuses.Count(s => s.StartsWith("Task ", StringComparison.Ordinal)) >= 3, string.Join(", ", statuses));
        Assert.Contains(statuses, s => s.StartsWith("Task ", StringComparison.Ordinal) && !s.EndsWith("not-escalated", StringComparison.Ordinal));
    }

    [Fact]
    public async System.Threading.Tasks.Task Everything_for_a_demo_child_is_the_childs_journey()
    {
        var (childId, journey) = await DemoChildAsync();
        var directory = await fhir.Site.Grains.GetGrain<Grains.Services.IServiceDirectoryGrain>(Grains.Services.IServiceDirectoryGrain.DefaultKey).GetDirectory();
        // As the EPR may see it: other services' sensitive blockers are not for it.
        var seen = AccessPolicy.Redact(journey, AccessPolicy.HiddenBlockers(EprCaller, journey));

        var everything = await fhir.ReadValidAsync<Bundle>($"Patient/{FhirIds.Patient(childId)}/$everything", fhir.Epr);
        var resources = everything.Entry.Select(e => e.Resource).ToList();

        Assert.Equal(FhirIds.Patient(childId), Assert.IsType<Patient>(resources[0]).Id);
        Assert.All(everything.Entry, e => Assert.EndsWith($"/fhir/R4/{e.Resource.TypeName}/{e.Resource.Id}", e.FullUrl));

        var episodes = resources.OfType<EpisodeOfCare>().ToList();
        Assert.Equal(seen.Transitions.Select(t => FhirIds.Part(childId, t.Id)), episodes.Select(e => e.Id));
        Assert.Equal(seen.Transitions.Select(t => (EpisodeOfCare.EpisodeOfCareStatus?)(t.IsComplete ? EpisodeOfCare.EpisodeOfCareStatus.Finished : EpisodeOfCare.EpisodeOfCareStatus.Active)), episodes.Select(e => e.Status));
        var plans = resources.OfType<CarePlan>().ToList();
        foreach (var transition in seen.Transitions)
        {
            var plan = plans.Single(p => p.Id == FhirIds.Part(childId, transition.Id));
            var definition = transition.Definition();
            var stages = plan.Activity.Where(a => a.Detail?.Code.Coding[0].System == FhirSystems.Stage).ToList();
            Assert.Equal(definition.Stages.Select(s => s.Key), stages.Select(a => a.Detail.Code.Coding[0].Code));
            Assert.Equal(transition.Stage, stages.Single(a => a.Detail.Status == (transition.IsComplete ? CarePlan.CarePlanActivityStatus.Completed : CarePlan.CarePlanActivityStatus.InProgress)
                && definition.IndexOf(a.Detail.Code.Coding[0].Code) == definition.IndexOf(transition.Stage)).Detail.Code.Coding[0].Code);
            var milestonesDone = plan.Activity.Where(a => a.Detail?.Code.Coding[0].System == FhirSystems.Milestone && a.Detail.Status == CarePlan.CarePlanActivityStatus.Completed);
            Assert.Equal(transition.Milestones.Select(m => m.Key).Order(), milestonesDone.Select(a => a.Detail.Code.Coding[0].Code).Order());
            Assert.Equal(seen.Blockers.Where(b => b.TransitionId == transition.Id).Select(b => $"Task/{FhirIds.Part(childId, b.Id)}"),
                plan.Activity.Where(a => a.Reference is not null).Select(a => a.Reference.Reference));
            // While in progress, when it is likely to be done, from learned lead times, in a note.
            if (!transition.IsComplete)
                Assert.StartsWith("Likely ready ", Assert.Single(plan.Note).Text);
            else
                Assert.Empty(plan.Note);
        }

        var tasks = resources.OfType<Hl7.Fhir.Model.Task>().ToDictionary(t => t.Id);
        Assert.Equal(seen.Blockers.Length, tasks.Count);
        Assert.NotEmpty(tasks);
        foreach (var blocker in seen.Blockers)
        {
            var task = tasks[FhirIds.Part(childId, blocker.Id)];
            Assert.Equal($"Organization/{blocker.OwningService.Value}", task.Owner.Reference);
            Assert.Equal(directory.Find(blocker.OwningService)?.Name, task.Owner.Display);
            Assert.Equal(blocker.Status switch
            {
                BlockerStatus.Open => Hl7.Fhir.Model.Task.TaskStatus.Requested,
                BlockerStatus.InProgress => Hl7.Fhir.Model.Task.TaskStatus.InProgress,
                BlockerStatus.Resolved => Hl7.Fhir.Model.Task.TaskStatus.Completed,
                _ => Hl7.Fhir.Model.Task.TaskStatus.Cancelled,
            }, task.Status);
            Assert.Equal(blocker.TargetDate.ToString("yyyy-MM-dd"), task.Restriction.Period.End);
            Assert.Equal(BlockerCategories.Key(blocker.Category), task.Code.Coding.Single().Code);
            Assert.Equal(blocker.EscalationLevel == 0 ? "not-escalated" : $"level-{blocker.EscalationLevel}", task.BusinessStatus.Coding.Single().Code);
            Assert.Contains(everything.Entry, e => e.Resource is Organization o && o.Id == blocker.OwningService.Value);
        }

        var appointments = resources.OfType<Appointment>().ToDictionary(a => a.Id);
        Assert.Equal(seen.Appointments.Length, appointments.Count);
        foreach (var appointment in seen.Appointments)
        {
            var fhirAppointment = appointments[FhirIds.Part(childId, appointment.Id)];
            Assert.Equal(appointment.Start, fhirAppointment.Start);
            Assert.Equal(appointment.Purpose, fhirAppointment.Description);
            Assert.Equal(appointment.Status switch
            {
                JourneyAppointmentStatus.Attended => Appointment.AppointmentStatus.Fulfilled,
                JourneyAppointmentStatus.DidNotAttend => Appointment.AppointmentStatus.Noshow,
                JourneyAppointmentStatus.Cancelled => Appointment.AppointmentStatus.Cancelled,
                _ => Appointment.AppointmentStatus.Booked,
            }, fhirAppointment.Status);
            Assert.Equal($"Patient/{FhirIds.Patient(childId)}", fhirAppointment.Participant.Single().Actor.Reference);
        }
    }

    [Fact]
    public async System.Threading.Tasks.Task A_service_never_reads_another_services_sensitive_blocker()
    {
        var childId = await fhir.Site.RegisterChildAsync("Amara", "Osei");
        await fhir.Site.RaiseBlockerAsync(childId, BlockerCategory.HousingAdaptation, FhirSite.HousingService, "Ramp and wet room", "Getting your home ready");
        await fhir.Site.RaiseBlockerAsync(childId, BlockerCategory.SocialCareSafeguarding, FhirSite.SocialCareService, "Section 47 enquiry open", null, sensitive: true);
        var patient = FhirIds.Patient(childId);

        var housingSees = await fhir.ReadValidAsync<Bundle>($"Task?patient={patient}", fhir.Housing);
        var task = Assert.IsType<Hl7.Fhir.Model.Task>(Assert.Single(housingSees.Entry).Resource);
        Assert.Equal("Ramp and wet room", task.Description);
        var everything = await fhir.ReadValidAsync<Bundle>($"Patient/{patient}/$everything", fhir.Housing);
        Assert.DoesNotContain(everything.Entry, e => e.Resource is Hl7.Fhir.Model.Task { Description: "Section 47 enquiry open" });
        Assert.DoesNotContain(everything.Entry, e => e.Resource is Organization { Id: FhirSite.SocialCareService });

        // The hidden blocker answers exactly as one that does not exist.
        var (hiddenStatus, hidden) = await fhir.GetAsync($"Task/{FhirIds.Part(childId, "blocker-2")}", fhir.Housing);
        var (missingStatus, missing) = await fhir.GetAsync($"Task/{FhirIds.Part(childId, "blocker-9")}", fhir.Housing);
        Assert.Equal(HttpStatusCode.NotFound, hiddenStatus);
        Assert.Equal(missingStatus, hiddenStatus);
        Assert.Equal(Outcome(missing).Code, Outcome(hidden).Code);

        // A journey-managing EPR that does not act for social care does not see it either.
        var eprTasks = await fhir.ReadValidAsync<Bundle>($"Task?patient={patient}", fhir.Epr);
        Assert.Single(eprTasks.Entry);

        // The owning service reads it, marked restricted (HL7 confidentiality R) for whoever passes it on.
        var owned = await fhir.ReadValidAsync<Hl7.Fhir.Model.Task>($"Task/{FhirIds.Part(childId, "blocker-2")}", fhir.SocialCare);
        Assert.Equal("Section 47 enquiry open", owned.Description);
        Assert.Equal("R", owned.Meta.Security.Single().Code);
    }

    [Fact]
    public async System.Threading.Tasks.Task Bad_searches_are_refused_with_an_OperationOutcome_and_change_nothing()
    {
        var (childId, _) = await DemoChildAsync();
        var before = (await fhir.Site.Grains.GetGrain<IChildGrain>(childId).GetJourney())!.Version;
        var patient = FhirIds.Patient(childId);

        foreach (var (query, code) in new[]
        {
            ("Patient?name=Smith", OperationOutcome.IssueType.NotSupported),
            ("Patient?identifier:exact=https://fhir.nhs.uk/Id/nhs-number|9434765919", OperationOutcome.IssueType.NotSupported),
            ("Task?patient=Patient/" + patient + "&status=requested", OperationOutcome.IssueType.NotSupported),
            ("Patient", OperationOutcome.IssueType.NotSupported),
            ("Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|12345", OperationOutcome.IssueType.Value),
            ("Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9434765918", OperationOutcome.IssueType.Value),
            ("Patient?identifier=http://example.org/mrn|ABC123", OperationOutcome.IssueType.Value),
            ("Patient?identifier=" + Uri.EscapeDataString("https://fhir.nhs.uk/Id/nhs-number|9434765919,9434765919"), OperationOutcome.IssueType.Value),
            ("Task?patient=Patient/not_a*fhir*id", OperationOutcome.IssueType.Value),
        })
        {
            var (status, resource) = await fhir.GetAsync(query, fhir.Epr);
            Assert.True(status == HttpStatusCode.BadRequest, $"{query}: {(int)status}");
            var issue = Outcome(resource);
            Assert.Equal(code, issue.Code);
            Assert.False(string.IsNullOrWhiteSpace(issue.Diagnostics));
            Assert.DoesNotContain("   at ", issue.Diagnostics);
            FhirValidation.AssertValid(resource);
        }

        var (writeStatus, write) = await fhir.GetAsync($"Patient/{patient}", fhir.Epr, HttpMethod.Delete);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, writeStatus);
        Assert.Equal(OperationOutcome.IssueType.NotSupported, Outcome(write).Code);
        var (unknownStatus, _) = await fhir.GetAsync("Observation?patient=" + patient, fhir.Epr);
        Assert.Equal(HttpStatusCode.NotFound, unknownStatus);

        Assert.Equal(before, (await fhir.Site.Grains.GetGrain<IChildGrain>(childId).GetJourney())!.Version);
    }

    [Fact]
    public async System.Threading.Tasks.Task Without_a_key_the_answer_is_401_and_a_key_that_may_not_see_the_child_gets_what_a_missing_child_gets()
    {
        var (childId, _) = await DemoChildAsync();
        var patient = FhirIds.Patient(childId);

        var (anonymous, outcome) = await fhir.GetAsync($"Patient/{patient}", key: null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous);
        Assert.Equal(OperationOutcome.IssueType.Login, Outcome(outcome).Code);
        var (wrongKey, _) = await fhir.GetAsync($"Patient/{patient}/$everything", GeneratedApiKey.New());
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey);

        foreach (var (path, missingPath) in new[]
        {
            ($"Patient/{patient}", "Patient/no-such-child-anywhere"),
            ($"Patient/{patient}/$everything", "Patient/no-such-child-anywhere/$everything"),
            ($"Task/{FhirIds.Part(childId, "blocker-1")}", $"Task/{FhirIds.Part("no-such-child-anywhere", "blocker-1")}"),
        })
        {
            var (status, refused) = await fhir.GetAsync(path, fhir.Outsider);
            var (missingStatus, missing) = await fhir.GetAsync(missingPath, fhir.Outsider);
            Assert.Equal(HttpStatusCode.NotFound, status);
            Assert.Equal(missingStatus, status);
            Assert.Equal(Outcome(missing).Code, Outcome(refused).Code);
            Assert.Equal(Outcome(missing).Diagnostics.Replace("no-such-child-anywhere", patient), Outcome(refused).Diagnostics);
        }

        // A search finds nothing it may not see: the same empty Bundle as for nobody at all.
        var nhs = (await fhir.Site.Grains.GetGrain<IChildGrain>(childId).GetJourney())!.Child!.NhsNumber.Digits;
        var searched = await fhir.ReadValidAsync<Bundle>($"Patient?identifier={FhirSystems.NhsNumber}|{nhs}", fhir.Outsider);
        Assert.Empty(searched.Entry);
        Assert.Equal(0, searched.Total);
    }

    [Fact]
    public async System.Threading.Tasks.Task Every_read_is_in_the_childs_audit_trail()
    {
        var childId = await fhir.Site.RegisterChildAsync("Noah", "Barker");
        var patient = FhirIds.Patient(childId);

        await fhir.ReadValidAsync<Patient>($"Patient/{patient}", fhir.Epr);
        await fhir.GetAsync($"Patient/{patient}/$everything", fhir.Outsider);
        await fhir.GetAsync($"Patient/{patient}", key: null);

        var trail = await fhir.Site.AuditOfAsync(childId);
        Assert.Contains(trail, e => e.CallerId == FhirSite.EprSystem && e.Channel == "fhir" && e.Allowed && e.Detail == "FHIR Patient read");
        Assert.Contains(trail, e => e.CallerId == "school-nowhere" && e.Channel == "fhir" && !e.Allowed);
    }

    private static OperationOutcome.IssueComponent Outcome(Resource resource) => Assert.Single(Assert.IsType<OperationOutcome>(resource).Issue);

    /// <summary>A demo child with blockers, appointments and more than one stage behind them, as the demo region has it.</summary>
    private async Task<(string ChildId, ChildJourney Journey)> DemoChildAsync()
    {
        foreach (var child in DemoRegionGenerator.Generate(CareTwinSite.DemoSeed, DateTimeOffset.UtcNow, FhirSite.DemoChildren).Children)
        {
            var journey = await fhir.Site.Grains.GetGrain<IChildGrain>(child.ChildId).GetJourney();
            if (journey is { IsRegistered: true } && journey.Blockers.Length > 1 && journey.Appointments.Length > 0 && journey.Transitions.Length > 0)
                return (child.ChildId, journey);
        }
        throw new InvalidOperationException("The demo region has no child with blockers and appointments.");
    }
}
