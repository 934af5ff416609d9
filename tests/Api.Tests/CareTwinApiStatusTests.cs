using CareTwin.Api.Contracts.V1;
using Grpc.Core;
using CareTwin.Api.Tests.Infrastructure;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.DependencyInjection;

namespace CareTwin.Api.Tests;

/// <summary>What each kind of failure becomes on the wire (caretwin.v1 over the in-memory host).</summary>
public sealed class CareTwinApiStatusTests : InMemoryApiTests
{
    [Fact]
    public async Task An_invalid_nhs_number_is_invalid_argument_naming_the_field()
    {
        var request = Requests.Register("status-nhs");
        request.NhsNumber = "943 476 5918";

        var result = await Epr.ChangeAsync("RegisterChild", request);

        Assert.Equal(StatusCode.InvalidArgument, result.Status);
        Assert.StartsWith("nhs_number: ", result.Message);
        Assert.Contains("check digit", result.Message);
    }

    [Fact]
    public async Task Proto_validation_names_the_field_for_unset_enums_impossible_dates_timestamps_ids_and_long_text()
    {
        await Epr.RegisterWithDischargeAsync("status-proto");
        var unset = Requests.Blocker("status-proto", "b-unset", CareTwinApiHost.Ward, BlockerCategory.Unspecified);
        var unknown = Requests.Blocker("status-proto", "b-unknown", CareTwinApiHost.Ward, (BlockerCategory)99);
        var badDate = Requests.Blocker("status-proto", "b-date", CareTwinApiHost.Ward);
        badDate.TargetDate = new Date { Year = 2027, Month = 2, Day = 30 };
        var noDate = Requests.Blocker("status-proto", "b-nodate", CareTwinApiHost.Ward);
        noDate.TargetDate = null;
        var longText = Requests.Blocker("status-proto", "b-long", CareTwinApiHost.Ward);
        longText.ProfessionalText = new string('x', 2_001);
        var noChild = Requests.Blocker("", "b-nochild", CareTwinApiHost.Ward);
        var badChild = Requests.Blocker("../etc/passwd", "b-badchild", CareTwinApiHost.Ward);
        var noExternalId = Requests.Blocker("status-proto", "", CareTwinApiHost.Ward);
        var badStart = Requests.Appointment("status-proto", "a-start", CareTwinApiHost.Ward);
        badStart.Start = new Timestamp { Seconds = long.MaxValue };

        var refusals = new List<string?>();
        foreach (var (method, request) in new (string, Google.Protobuf.IMessage)[]
        {
            ("RaiseBlocker", unset), ("RaiseBlocker", unknown), ("RaiseBlocker", badDate), ("RaiseBlocker", noDate), ("RaiseBlocker", longText),
            ("RaiseBlocker", noChild), ("RaiseBlocker", badChild), ("RaiseBlocker", noExternalId), ("BookAppointment", badStart),
        })
        {
            var result = await Epr.ChangeAsync(method, request);
            Assert.Equal(StatusCode.InvalidArgument, result.Status);
            refusals.Add(result.Message);
        }

        Assert.Equal(
            [
                "category is required.",
                "category 99 is not a known BlockerCategory value.",
                "target_date 2027-02-30 is not a calendar date.",
                "target_date is required.",
                "professional_text is 2001 characters long; the limit is 2000.",
                "child_id is required.",
                "child_id must be 1-100 letters, digits, '-' or '_'.",
                "external_id must not be blank.",
                "start is not a valid timestamp (years 1-9999).",
            ],
            refusals);
        Assert.Empty((await Epr.GetJourneyAsync("status-proto")).Reply!.Blockers);
    }

    [Fact]
    public async Task An_unknown_transition_is_not_found()
    {
        await Epr.RegisterWithDischargeAsync("status-missing");
        var request = Requests.Blocker("status-missing", "b-1", CareTwinApiHost.Ward);
        request.TransitionId = "transition-9";

        var result = await Epr.ChangeAsync("RaiseBlocker", request);

        Assert.Equal(StatusCode.NotFound, result.Status);
        Assert.Equal("transition_id: No transition 'transition-9' for this child.", result.Message);
    }

    [Fact]
    public async Task An_unknown_stage_names_the_field_first_even_when_the_reason_mentions_it()
    {
        await Epr.RegisterWithDischargeAsync("status-unknown-stage");

        var result = await Epr.ChangeAsync("ChangeStage", new ChangeStageRequest
        {
            ChildId = "status-unknown-stage", ExternalId = "unknown-stage-1", TransitionId = "transition-1", Stage = "gone-home",
        });

        Assert.Equal(StatusCode.InvalidArgument, result.Status);
        Assert.StartsWith("stage: ", result.Message);
        Assert.Contains("'gone-home'", result.Message);
    }

    [Fact]
    public async Task A_stage_move_the_rules_forbid_is_failed_precondition_with_the_reason()
    {
        await Epr.RegisterWithDischargeAsync("status-skip");

        var result = await Epr.ChangeAsync("ChangeStage", new ChangeStageRequest
        {
            ChildId = "status-skip", ExternalId = "skip-1", TransitionId = "transition-1", Stage = "discharge-planning",
        });

        Assert.Equal(StatusCode.FailedPrecondition, result.Status);
        Assert.Equal("stage: Cannot skip 'Medically optimised': move to 'medically-optimised' first.", result.Message);
    }

    [Fact]
    public async Task A_housing_key_cannot_resolve_a_social_care_blocker()
    {
        await Epr.RegisterWithDischargeAsync("status-scope");
        await Host.RaiseAsCoordinatorAsync("status-scope", CareTwinApiHost.Housing);
        // A care package, not safeguarding: a sensitive blocker is hidden from housing and answers as unknown.
        var socialCare = await Host.RaiseAsCoordinatorAsync("status-scope", CareTwinApiHost.SocialCare, Journey.Blockers.BlockerCategory.CarePackage);
        using var housing = Host.Client(Host.HousingKey);

        var result = await housing.ChangeAsync("ResolveBlocker", new ResolveBlockerRequest { ChildId = "status-scope", ExternalId = "resolve-1", BlockerId = socialCare });

        Assert.Equal(StatusCode.PermissionDenied, result.Status);
        Assert.Equal("This API key (test-housing) may not ResolveBlocker on child 'status-scope'.", result.Message);
        using var socialCareSystem = Host.Client(Host.SocialCareKey);
        var resolved = await socialCareSystem.ChangeAsync("ResolveBlocker", new ResolveBlockerRequest { ChildId = "status-scope", ExternalId = "resolve-1", BlockerId = socialCare });
        Assert.Equal(ChangeOutcome.Accepted, resolved.Reply!.Outcome);
    }

    [Fact]
    public async Task An_unknown_child_is_NOT_FOUND_naming_child_id_for_a_journey_managing_key()
    {
        var unknown = await Epr.GetJourneyAsync("status-never-registered");

        Assert.Equal(StatusCode.NotFound, unknown.Status);
        Assert.StartsWith("child_id", unknown.Message);
    }

    [Fact]
    public async Task An_unknown_blocker_or_appointment_is_not_found_and_a_blocker_hidden_from_the_key_answers_the_same()
    {
        await Epr.RegisterWithDischargeAsync("status-ids");
        await Host.RaiseAsCoordinatorAsync("status-ids", CareTwinApiHost.Housing);
        var safeguarding = ((Journey.Blockers.BlockerRaised)(await Host.AsCoordinatorAsync("status-ids", origin => new Journey.Blockers.RaiseBlocker(
            origin, "transition-1", Journey.Blockers.BlockerCategory.SocialCareSafeguarding, CareTwinApiHost.SocialCare, null,
            "Safeguarding strategy meeting.", null, DateOnly.FromDateTime(DateTime.UtcNow).AddDays(20), Sensitive: true))).Events[0]).BlockerId;
        using var housing = Host.Client(Host.HousingKey);

        var unknownBlocker = await housing.ChangeAsync("ResolveBlocker", new ResolveBlockerRequest { ChildId = "status-ids", ExternalId = "ids-1", BlockerId = "blocker-99" });
        var hiddenBlocker = await housing.ChangeAsync("ResolveBlocker", new ResolveBlockerRequest { ChildId = "status-ids", ExternalId = "ids-2", BlockerId = safeguarding });
        var unknownAppointment = await housing.ChangeAsync("UpdateAppointment", new UpdateAppointmentRequest
        {
            ChildId = "status-ids", ExternalId = "ids-3", AppointmentId = "appointment-99", Status = AppointmentStatus.Cancelled,
        });

        Assert.Equal((StatusCode.NotFound, "blocker_id: No blocker 'blocker-99' for this child."), (unknownBlocker.Status, unknownBlocker.Message));
        Assert.Equal((StatusCode.NotFound, $"blocker_id: No blocker '{safeguarding}' for this child."), (hiddenBlocker.Status, hiddenBlocker.Message));
        Assert.Equal((StatusCode.NotFound, "appointment_id: No appointment 'appointment-99' for this child."), (unknownAppointment.Status, unknownAppointment.Message));
        Assert.Equal(Journey.Blockers.BlockerStatus.Open, (await Host.Grains.GetGrain<Grains.Children.IChildGrain>("status-ids").GetJourney())!.FindBlocker(safeguarding)!.Status);
    }

    [Fact]
    public async Task A_refused_change_names_the_rpc_the_caller_made_not_an_internal_command()
    {
        await Epr.RegisterWithDischargeAsync("status-rpc-name");
        var socialCare = await Host.RaiseAsCoordinatorAsync("status-rpc-name", CareTwinApiHost.SocialCare, Journey.Blockers.BlockerCategory.CarePackage);
        await Host.RaiseAsCoordinatorAsync("status-rpc-name", CareTwinApiHost.Housing);
        using var housing = Host.Client(Host.HousingKey);

        var result = await housing.ChangeAsync("UpdateBlocker", new UpdateBlockerRequest
        {
            ChildId = "status-rpc-name", ExternalId = "rpc-name-1", BlockerId = socialCare, Status = BlockerStatus.InProgress,
        });

        Assert.Equal(StatusCode.PermissionDenied, result.Status);
        Assert.Equal("This API key (test-housing) may not UpdateBlocker on child 'status-rpc-name'.", result.Message);
    }

    [Fact]
    public async Task An_unknown_blocker_on_a_child_the_key_has_no_relationship_with_is_permission_denied()
    {
        await Epr.RegisterWithDischargeAsync("status-unrelated");
        using var housing = Host.Client(Host.HousingKey);

        var result = await housing.ChangeAsync("ResolveBlocker", new ResolveBlockerRequest { ChildId = "status-unrelated", ExternalId = "unrelated-1", BlockerId = "blocker-1" });

        Assert.Equal(StatusCode.PermissionDenied, result.Status);
    }

    [Fact]
    public async Task An_unknown_child_is_refused_as_a_child_without_relationship_so_existence_does_not_leak()
    {
        await Epr.RegisterWithDischargeAsync("status-exists");
        using var housing = Host.Client(Host.HousingKey);

        var unknown = await housing.GetJourneyAsync("status-no-such-child");
        var unrelated = await housing.GetJourneyAsync("status-exists");

        Assert.Equal(StatusCode.PermissionDenied, unknown.Status);
        Assert.Equal(StatusCode.PermissionDenied, unrelated.Status);
        Assert.Equal(unknown.Message!.Replace("status-no-such-child", "X"), unrelated.Message!.Replace("status-exists", "X"));
    }

    [Fact]
    public async Task A_conflicting_write_is_retried_once_and_a_second_conflict_is_aborted_with_nothing_recorded()
    {
        await Epr.RegisterWithDischargeAsync("status-conflict");

        Host.Storage.ConflictOnNextChildAppends(1);
        var retried = await Epr.ChangeAsync("RaiseBlocker", Requests.Blocker("status-conflict", "b-retried", CareTwinApiHost.Ward));
        Host.Storage.ConflictOnNextChildAppends(2);
        var aborted = await Epr.ChangeAsync("RaiseBlocker", Requests.Blocker("status-conflict", "b-aborted", CareTwinApiHost.Ward));
        var blockersAfterAbort = (await Epr.GetJourneyAsync("status-conflict")).Reply!.Blockers.Count;
        var resent = await Epr.ChangeAsync("RaiseBlocker", Requests.Blocker("status-conflict", "b-aborted", CareTwinApiHost.Ward));

        Assert.Equal(ChangeOutcome.Accepted, retried.Reply!.Outcome);
        Assert.Equal(StatusCode.Aborted, aborted.Status);
        Assert.StartsWith("The child's record was changed by someone else", aborted.Message);
        Assert.Equal(1, blockersAfterAbort);
        Assert.Equal(ChangeOutcome.Accepted, resent.Reply!.Outcome);
    }

    [Fact]
    public async Task A_runtime_that_is_shutting_down_answers_unavailable()
    {
        await using var host = await CareTwinApiHost.StartInMemoryAsync();
        using var epr = host.Client(host.EprKey);
        await host.Services.GetRequiredService<Orleans.Runtime.Silo>().StopAsync(CancellationToken.None);

        var result = await epr.GetJourneyAsync("status-down");

        Assert.Equal(StatusCode.Unavailable, result.Status);
        Assert.Equal("CareTwin is shutting down or restarting; send the request again shortly.", result.Message);
    }
}
