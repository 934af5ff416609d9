using CareTwin.Grains.Access;
using CareTwin.Grains.Boards;
using CareTwin.Journey.Appointments;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Children;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Escalations;
using CareTwin.Journey.Family;
using CareTwin.Journey.Services;
using CareTwin.Journey.Transitions;
using CareTwin.Journey.Tests.Model;
using static CareTwin.Journey.Tests.Model.ModelFixtures;

namespace CareTwin.Grains.Tests.Access;

public sealed class AccessPolicyTests
{
    private static readonly AccessOptions Options = new();
    private static readonly Caller CoordinatorCaller = Caller.Coordinator("coord-1", "Priya Shah");
    private static readonly Caller HousingStaff = Caller.AgencyStaff("housing-1", "Callum Reid", Housing.Key);
    private static readonly Caller SocialCareStaff = Caller.AgencyStaff("sc-1", "Chloe Hart", SocialCare.Key);
    private static readonly Caller HousingSystem = Caller.ExternalSystem("housing-cms", "Housing case system", ["housing.newham"], managesJourneys: false);
    private static readonly Caller Epr = Caller.ExternalSystem("epr", "Royal Thamesbank EPR", ["health.equipment.newham"], managesJourneys: true);
    private static readonly Caller Mother = Caller.Family("family-1", "Sarah", "child-1");
    private static readonly FamilyMembership ActiveMother = new("family-1", "child-1", Active: true, YoungPersonConsent: false);
    private static readonly Caller Operator = Caller.Operator("ops-1", "Sam Okafor");

    /// <summary>child-1 in hospital with a housing blocker (blocker-1); social care is not involved.</summary>
    private static JourneyDriver Journey()
    {
        var driver = new JourneyDriver().InHospital();
        driver.RaiseBlocker();
        return driver;
    }

    private static AccessDecision Decide(Caller caller, AccessAction action, JourneyDriver journey, JourneyCommand? command = null,
        FamilyMembership? membership = null, AccessOptions? options = null) =>
        AccessPolicy.ForChild(caller, action, journey.State, journey.Now, options ?? Options, membership, command);

    [Fact]
    public void A_coordinator_sees_and_changes_any_child_and_alone_sees_the_audit_trail()
    {
        var journey = Journey();
        Assert.True(Decide(CoordinatorCaller, AccessAction.ViewChild, journey).Allowed);
        Assert.True(Decide(CoordinatorCaller, AccessAction.ViewAudit, journey).Allowed);
        Assert.True(Decide(CoordinatorCaller, AccessAction.ChangeChild, journey, new EscalateBlocker(journey.NextOrigin(), "blocker-1", "Overdue")).Allowed);
        foreach (var other in new[] { HousingStaff, HousingSystem, Epr, Mother })
            Assert.False(Decide(other, AccessAction.ViewAudit, journey, membership: ActiveMother).Allowed);
    }

    [Fact]
    public void What_a_page_offers_on_a_blocker_is_what_the_policy_allows_for_the_command_it_sends()
    {
        var journey = Journey();
        journey.RaiseBlocker(BlockerCategory.CarePackage, owner: "social-care.newham");
        journey.Do(o => new EscalateBlocker(o, "blocker-1", "No survey date."));
        var own = journey.State.FindBlocker("blocker-1")!;
        var others = journey.State.FindBlocker("blocker-2")!;

        Assert.Equal(new BlockerPermissions(CanMarkInProgress: true, CanResolve: true, CanReassign: true, CanEscalate: false, CanAcknowledge: true),
            AccessPolicy.ForBlocker(HousingStaff, journey.State, own, journey.Now, Options));
        Assert.Equal(new BlockerPermissions(false, false, false, false, false), AccessPolicy.ForBlocker(HousingStaff, journey.State, others, journey.Now, Options));
        Assert.Equal(new BlockerPermissions(CanMarkInProgress: true, CanResolve: true, CanReassign: true, CanEscalate: true, CanAcknowledge: false),
            AccessPolicy.ForBlocker(CoordinatorCaller, journey.State, others, journey.Now, Options));

        var housing = AccessPolicy.ForChildActions(HousingStaff, journey.State, [Housing.Key, SocialCare.Key], journey.Now, Options);
        Assert.Equal(new[] { "housing.newham" }, housing.RaiseFor.ToArray());
        Assert.False(housing.CanChangeStage);
        var coordinator = AccessPolicy.ForChildActions(CoordinatorCaller, journey.State, [Housing.Key, SocialCare.Key], journey.Now, Options);
        Assert.Equal(new[] { "housing.newham", "social-care.newham" }, coordinator.RaiseFor.ToArray());
        Assert.True(coordinator.CanChangeStage);
    }

    [Fact]
    public void A_refusal_to_someone_who_may_see_the_record_says_what_is_true_and_to_anyone_else_nothing_more()
    {
        var journey = Journey();
        journey.RaiseBlocker(BlockerCategory.CarePackage, owner: "social-care.newham");

        Assert.Equal("Only the owning service or a coordinator can resolve this blocker.",
            Decide(HousingStaff, AccessAction.ChangeChild, journey, new ResolveBlocker(journey.NextOrigin(), "blocker-2")).Told);
        Assert.Equal("Only a coordinator can escalate a blocker.",
            Decide(HousingStaff, AccessAction.ChangeChild, journey, new EscalateBlocker(journey.NextOrigin(), "blocker-1", "Why")).Told);
        Assert.Equal("Only a coordinator can change the stage of a journey.",
            Decide(HousingStaff, AccessAction.ChangeChild, journey, new ChangeStage(journey.NextOrigin(), "transition-1", "ready-for-discharge")).Told);

        // Equipment is not involved with this child: it is told nothing about the record or its blockers.
        var equipmentStaff = Caller.AgencyStaff("eq-1", "Sam Lee", Equipment.Key);
        var outsider = Decide(equipmentStaff, AccessAction.ChangeChild, journey, new ResolveBlocker(journey.NextOrigin(), "blocker-2"));
        Assert.False(outsider.Allowed);
        Assert.Null(outsider.Told);
    }

    [Fact]
    public void Agency_staff_see_a_child_only_while_their_service_is_involved()
    {
        var journey = Journey();
        Assert.True(Decide(HousingStaff, AccessAction.ViewChild, journey).Allowed);
        Assert.False(Decide(SocialCareStaff, AccessAction.ViewChild, journey).Allowed);

        journey.Do(o => new ResolveBlocker(o, "blocker-1"));

        Assert.False(Decide(HousingStaff, AccessAction.ViewChild, journey).Allowed);
    }

    [Fact]
    public void An_upcoming_appointment_involves_its_service()
    {
        var journey = new JourneyDriver().InHospital();
        journey.Do(o => new BookAppointment(o, "health.equipment.newham", journey.Now.AddDays(3), TimeSpan.FromHours(1), "Ward 4", "Hoist fitting"));
        var equipmentStaff = Caller.AgencyStaff("eq-1", "Sam Lee", Equipment.Key);

        Assert.True(Decide(equipmentStaff, AccessAction.ViewChild, journey).Allowed);
        Assert.False(Decide(HousingStaff, AccessAction.ViewChild, journey).Allowed);
    }

    [Fact]
    public void A_key_for_the_housing_system_cannot_resolve_a_social_care_blocker()
    {
        var journey = Journey();
        journey.RaiseBlocker(BlockerCategory.CarePackage, owner: "social-care.newham");

        Assert.True(Decide(HousingSystem, AccessAction.ChangeChild, journey, new ResolveBlocker(journey.NextOrigin(), "blocker-1")).Allowed);
        var denied = Decide(HousingSystem, AccessAction.ChangeChild, journey, new ResolveBlocker(journey.NextOrigin(), "blocker-2"));
        Assert.False(denied.Allowed);
        Assert.Contains("social-care.newham", denied.Reason);
    }

    [Fact]
    public void Only_journey_managing_systems_and_coordinators_register_children_and_move_stages()
    {
        var journey = Journey();
        var register = new RegisterChild(journey.NextOrigin(), "child-2", ValidNhsNumber, "Ola", "Ade", new DateOnly(2020, 1, 1), "royal-thamesbank", "north-thames", []);
        var move = new ChangeStage(journey.NextOrigin(), "transition-1", HospitalDischargeStages.MedicallyOptimised);

        Assert.True(AccessPolicy.ForChild(Epr, AccessAction.ChangeChild, null, journey.Now, Options, command: register).Allowed);
        Assert.False(AccessPolicy.ForChild(HousingSystem, AccessAction.ChangeChild, null, journey.Now, Options, command: register).Allowed);
        Assert.False(AccessPolicy.ForChild(HousingStaff, AccessAction.ChangeChild, null, journey.Now, Options, command: register).Allowed);
        Assert.True(Decide(Epr, AccessAction.ChangeChild, journey, move).Allowed);
        Assert.False(Decide(HousingSystem, AccessAction.ChangeChild, journey, move).Allowed);
        Assert.False(Decide(HousingStaff, AccessAction.ChangeChild, journey, move).Allowed);
    }

    [Fact]
    public void Nobody_but_the_ladder_auto_escalates()
    {
        var journey = Journey();
        Assert.False(Decide(CoordinatorCaller, AccessAction.ChangeChild, journey, new AutoEscalateBlocker(journey.NextOrigin(), "blocker-1")).Allowed);
    }

    [Fact]
    public void A_family_member_sees_only_their_own_childs_family_view_and_only_while_active()
    {
        var journey = Journey();
        Assert.True(Decide(Mother, AccessAction.ViewFamilyView, journey, membership: ActiveMother).Allowed);
        Assert.False(Decide(Mother, AccessAction.ViewChild, journey, membership: ActiveMother).Allowed);
        Assert.False(Decide(Mother, AccessAction.ViewFamilyView, journey, membership: ActiveMother with { Active = false }).Allowed);
        Assert.False(Decide(Mother, AccessAction.ViewFamilyView, journey).Allowed);

        var otherChild = new JourneyDriver().Registered("child-2");
        Assert.False(Decide(Mother, AccessAction.ViewFamilyView, otherChild, membership: ActiveMother with { ChildId = "child-2" }).Allowed);
    }

    [Fact]
    public void A_family_member_may_add_notes_and_flag_concerns_but_not_change_the_plan()
    {
        var journey = Journey();
        Assert.True(Decide(Mother, AccessAction.ChangeChild, journey, new AddFamilyNote(journey.NextOrigin(Parent), "She likes the radio on."), ActiveMother).Allowed);
        Assert.True(Decide(Mother, AccessAction.ChangeChild, journey, new FlagConcern(journey.NextOrigin(Parent), "Nobody has called."), ActiveMother).Allowed);
        Assert.False(Decide(Mother, AccessAction.ChangeChild, journey, new ResolveBlocker(journey.NextOrigin(Parent), "blocker-1"), ActiveMother).Allowed);
        Assert.True(Decide(Mother, AccessAction.ChangeChild, journey, new SetFamilyTravel(journey.NextOrigin(Parent), TravelMode.Car, 40), ActiveMother).Allowed);
        // Reading, answering and closing a concern is the team's, never the family's.
        Assert.False(Decide(Mother, AccessAction.ChangeChild, journey, new AnswerConcern(journey.NextOrigin(Parent), "message-1", "Sorted."), ActiveMother).Allowed);
        Assert.False(Decide(Mother, AccessAction.ChangeChild, journey, new CloseConcern(journey.NextOrigin(Parent), "message-1"), ActiveMother).Allowed);
    }

    [Fact]
    public void Coordinators_answer_a_family_s_concerns_and_only_the_family_says_how_they_travel()
    {
        var journey = Journey();
        Assert.True(Decide(CoordinatorCaller, AccessAction.ChangeChild, journey, new AnswerConcern(journey.NextOrigin(), "message-1", "Housing will ring you.")).Allowed);
        Assert.True(Decide(CoordinatorCaller, AccessAction.ChangeChild, journey, new CloseConcern(journey.NextOrigin(), "message-1")).Allowed);
        Assert.False(Decide(HousingStaff, AccessAction.ChangeChild, journey, new AnswerConcern(journey.NextOrigin(HousingOfficer), "message-1", "We will ring you.")).Allowed);
        Assert.False(Decide(HousingStaff, AccessAction.ChangeChild, journey, new SetFamilyTravel(journey.NextOrigin(HousingOfficer), TravelMode.Car, 40)).Allowed);
        var coordinator = Decide(CoordinatorCaller, AccessAction.ChangeChild, journey, new SetFamilyTravel(journey.NextOrigin(), TravelMode.Car, 40));
        Assert.False(coordinator.Allowed);
        Assert.Equal("Only the family can say how they get to appointments.", coordinator.Told);
    }

    [Theory]
    [InlineData(FamilyAccessFrom16.Continue, false, true)]
    [InlineData(FamilyAccessFrom16.RequiresYoungPersonConsent, false, false)]
    [InlineData(FamilyAccessFrom16.RequiresYoungPersonConsent, true, true)]
    public void Family_access_at_16_follows_the_configured_rule(FamilyAccessFrom16 rule, bool consent, bool allowed)
    {
        var journey = new JourneyDriver();
        journey.Do(o => new RegisterChild(o, "child-1", ValidNhsNumber, "Tom", "Reed", DateOnly.FromDateTime(journey.Now.Date).AddYears(-16),
            "royal-thamesbank", "north-thames", []));

        var decision = Decide(Mother, AccessAction.ViewFamilyView, journey, membership: ActiveMother with { YoungPersonConsent = consent },
            options: new AccessOptions { FamilyAccessFrom16 = rule });

        Assert.Equal(allowed, decision.Allowed);
    }

    [Fact]
    public void An_unknown_child_is_for_the_twin_to_report_to_coordinators_and_journey_managing_systems()
    {
        Assert.True(AccessPolicy.ForChild(Epr, AccessAction.ViewChild, null, Start, Options).Allowed);
        Assert.True(AccessPolicy.ForChild(CoordinatorCaller, AccessAction.ViewChild, null, Start, Options).Allowed);
        Assert.False(AccessPolicy.ForChild(HousingSystem, AccessAction.ViewChild, null, Start, Options).Allowed);
    }

    [Fact]
    public void Booking_an_appointment_needs_a_relationship_because_it_would_create_one()
    {
        var journey = new JourneyDriver().InHospital();
        var book = new BookAppointment(journey.NextOrigin(), "housing.newham", journey.Now.AddDays(2), TimeSpan.FromHours(1), "Home", "Home visit");

        Assert.False(Decide(HousingSystem, AccessAction.ChangeChild, journey, book).Allowed);
        journey.RaiseBlocker();
        Assert.True(Decide(HousingSystem, AccessAction.ChangeChild, journey, book).Allowed);
    }

    [Fact]
    public void Another_services_sensitive_blocker_and_its_journal_entries_are_hidden_from_professionals_but_not_coordinators()
    {
        var journey = Journey();
        var carePackage = journey.RaiseBlocker(BlockerCategory.SocialCareSafeguarding, owner: "social-care.newham", sensitive: true);
        var raised = journey.Journal.OfType<BlockerRaised>().Single(e => e.BlockerId == carePackage);

        var forHousing = AccessPolicy.HiddenBlockers(HousingStaff, journey.State);
        Assert.Equal([carePackage], forHousing);
        Assert.DoesNotContain(AccessPolicy.Redact(journey.State, forHousing).Blockers, b => b.Id == carePackage);
        Assert.False(AccessPolicy.Shows(raised, forHousing));
        Assert.True(AccessPolicy.Shows(journey.Journal.OfType<BlockerRaised>().First(), forHousing));
        Assert.Empty(AccessPolicy.HiddenBlockers(SocialCareStaff, journey.State));
        Assert.Empty(AccessPolicy.HiddenBlockers(CoordinatorCaller, journey.State));
    }

    [Fact]
    public void A_family_concern_about_a_blocker_later_marked_sensitive_is_hidden_with_every_step_the_team_took_on_it()
    {
        var journey = Journey();
        var carePackage = journey.RaiseBlocker(BlockerCategory.CarePackage, owner: "social-care.newham");
        // The family worries about the social care blocker, then about the housing one; the team reads, answers and
        // closes the first; then social care marks its blocker sensitive.
        var aboutCarePackage = journey.Do<FamilyConcernFlagged>(o => new FlagConcern(o, "Who is coming to the house?", carePackage), Parent).MessageId;
        var aboutHousing = journey.Do<FamilyConcernFlagged>(o => new FlagConcern(o, "When is the housing visit?", "blocker-1"), Parent).MessageId;
        journey.Do(o => new AcknowledgeConcern(o, aboutCarePackage));
        journey.Do(o => new AnswerConcern(o, aboutCarePackage, "The social worker will ring you on Monday."));
        journey.Do(o => new CloseConcern(o, aboutCarePackage));
        journey.Do(o => new AcknowledgeConcern(o, aboutHousing));
        journey.Do(o => new UpdateBlockerProgress(o, carePackage, MarkSensitive: true));

        var forHousing = AccessPolicy.HiddenBlockers(HousingStaff, journey.State);
        Assert.Equal([carePackage, aboutCarePackage], forHousing.Order());
        // Every step of the concern is as hidden as the concern: it names the concern, not the blocker.
        var steps = journey.Journal.Where(e => e is FamilyConcernFlagged or ConcernAcknowledged or ConcernAnswered or ConcernClosed).ToList();
        Assert.Equal(6, steps.Count);
        Assert.Equal([false, true, false, false, false, true], steps.Select(e => AccessPolicy.Shows(e, forHousing)));
        Assert.Equal([aboutHousing], AccessPolicy.Redact(journey.State, forHousing).FamilyMessages.Select(m => m.Id));
        // Social care owns the blocker and coordinators see everything.
        Assert.Empty(AccessPolicy.HiddenBlockers(SocialCareStaff, journey.State));
        Assert.Empty(AccessPolicy.HiddenBlockers(CoordinatorCaller, journey.State));
        Assert.All(steps, e => Assert.True(AccessPolicy.Shows(e, AccessPolicy.HiddenBlockers(SocialCareStaff, journey.State))));
    }

    [Fact]
    public void An_unknown_child_looks_the_same_as_one_without_a_relationship()
    {
        var unknown = AccessPolicy.ForChild(HousingStaff, AccessAction.ViewChild, null, Start, Options);
        var unrelated = Decide(SocialCareStaff, AccessAction.ViewChild, Journey());
        Assert.Equal(unrelated.Allowed, unknown.Allowed);
        Assert.False(unknown.Allowed);
    }

    [Fact]
    public void Services_and_boards_are_seen_by_those_who_act_for_them()
    {
        Assert.True(AccessPolicy.ForService(HousingStaff, AccessAction.ViewService, Housing.Key).Allowed);
        Assert.False(AccessPolicy.ForService(HousingStaff, AccessAction.ViewService, SocialCare.Key).Allowed);
        Assert.False(AccessPolicy.ForService(Mother, AccessAction.ViewService, Housing.Key).Allowed);
        var board = BoardKey.ForHospital("royal-thamesbank");
        Assert.True(AccessPolicy.ForBoard(CoordinatorCaller, AccessAction.WatchBoard, board).Allowed);
        Assert.True(AccessPolicy.ForBoard(Epr, AccessAction.ViewBoard, board).Allowed);
        Assert.False(AccessPolicy.ForBoard(HousingStaff, AccessAction.ViewBoard, board).Allowed);
        Assert.False(AccessPolicy.ForBoard(Mother, AccessAction.ViewBoard, board).Allowed);
    }

    [Fact]
    public void An_operator_sees_and_changes_no_child_service_or_board_whatever_their_caller_carries()
    {
        var journey = Journey();
        journey.RaiseBlocker(BlockerCategory.SocialCareSafeguarding, owner: "social-care.newham", sensitive: true);
        // Scopes no operator has, as if they had leaked into the caller: the role alone decides.
        var scoped = Operator with { Services = [Housing.Key.Value, SocialCare.Key.Value], ManagesJourneys = true, ChildId = "child-1" };
        JourneyCommand[] commands =
        [
            new RegisterChild(journey.NextOrigin(), "child-2", ValidNhsNumber, "Ola", "Ade", new DateOnly(2020, 1, 1), "royal-thamesbank", "north-thames", []),
            new ResolveBlocker(journey.NextOrigin(), "blocker-1"),
            new AddFamilyNote(journey.NextOrigin(), "A note."),
        ];
        var board = BoardKey.ForHospital("royal-thamesbank");

        foreach (var caller in new[] { Operator, scoped })
        {
            foreach (var action in Enum.GetValues<AccessAction>())
            {
                Assert.False(Decide(caller, action, journey, membership: ActiveMother).Allowed, $"{action} on a child");
                Assert.False(AccessPolicy.ForChild(caller, action, null, journey.Now, Options).Allowed, $"{action} on an unknown child");
                Assert.False(AccessPolicy.ForService(caller, action, Housing.Key).Allowed, $"{action} on a service");
                Assert.False(AccessPolicy.ForBoard(caller, action, board).Allowed, $"{action} on a board");
            }
            foreach (var command in commands)
                Assert.False(Decide(caller, AccessAction.ChangeChild, journey, command).Allowed, command.GetType().Name);
        }
        Assert.Contains("Operators", Decide(Operator, AccessAction.ViewChild, journey).Reason);
    }
}
