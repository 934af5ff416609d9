using CareTwin.Journey.Appointments;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Journal;
using CareTwin.Journey.References;
using CareTwin.Journey.Transitions;
using static CareTwin.Journey.Tests.Model.ModelFixtures;

namespace CareTwin.Journey.Tests.Model;

/// <summary>A system names what it created by its own external ids, before (or without) knowing CareTwin's ids.</summary>
public class ExternalReferenceTests
{
    private const string Epr = "epr-test";

    private static CommandOrigin From(string externalId, string source = Epr) => new(Coordinator, source, externalId);

    private static JourneyDriver WithTransitionStartedBy(string externalId)
    {
        var driver = new JourneyDriver().Registered();
        driver.Send(new StartTransition(From(externalId), TransitionKind.HospitalDischarge));
        return driver;
    }

    private static RaiseBlocker Blocker(JourneyDriver driver, string externalId, ExternalReference transition) =>
        new(From(externalId), "", BlockerCategory.HousingAdaptation, "housing.newham", null, "Needs a ground-floor bedroom.", null,
            UkCalendar.DateOf(driver.Now).AddDays(30))
        { TransitionRef = transition };

    [Fact]
    public void Transitions_and_blockers_keep_the_system_and_external_id_that_created_them()
    {
        var driver = WithTransitionStartedBy("epr-start-1");
        driver.Send(Blocker(driver, "epr-blocker-7", new ExternalReference(Epr, "epr-start-1")));

        var transition = Assert.Single(driver.State.Transitions);
        var blocker = Assert.Single(driver.State.Blockers);
        Assert.Equal((Epr, "epr-start-1"), (transition.SourceSystem, transition.ExternalId));
        Assert.Equal((Epr, "epr-blocker-7", "transition-1"), (blocker.SourceSystem, blocker.ExternalId, blocker.TransitionId));
        Assert.Equal("blocker-1", driver.State.CreatedBy(Epr, "epr-blocker-7"));
        Assert.Equal("transition-1", driver.State.CreatedBy(Epr, "epr-start-1"));
        Assert.Null(driver.State.CreatedBy("other-system", "epr-start-1"));
    }

    [Fact]
    public void A_blocker_named_by_its_raisers_reference_is_updated_and_resolved_like_one_named_by_id()
    {
        var driver = WithTransitionStartedBy("epr-start-1");
        driver.Send(Blocker(driver, "epr-blocker-7", new ExternalReference(Epr, "epr-start-1")));
        var byReference = new ExternalReference(Epr, "epr-blocker-7");

        driver.Send(new UpdateBlockerProgress(From("epr-progress-1"), "", BlockerStatus.InProgress) { BlockerRef = byReference });
        driver.Send(new ResolveBlocker(From("epr-resolve-1"), "", "Bedroom adapted.") { BlockerRef = byReference });

        var events = driver.Journal.OfType<IBlockerEvent>().Select(e => (e.GetType().Name, e.BlockerId));
        Assert.Equal([("BlockerRaised", "blocker-1"), ("BlockerProgressUpdated", "blocker-1"), ("BlockerResolved", "blocker-1")], events);
        Assert.Equal(BlockerStatus.Resolved, driver.Blocker("blocker-1").Status);
    }

    [Fact]
    public void An_appointment_is_found_by_the_booking_systems_reference()
    {
        var driver = new JourneyDriver().InHospital();
        driver.Send(new BookAppointment(From("booking-42", "housing-system"), "housing.newham", driver.Now.AddDays(3), TimeSpan.FromHours(1), "Home", "Home visit"));

        driver.Send(new UpdateAppointment(From("booking-42-cancel", "housing-system"), "", AppointmentStatus.Cancelled)
        {
            AppointmentRef = new ExternalReference("housing-system", "booking-42"),
        });

        Assert.Equal(AppointmentStatus.Cancelled, Assert.Single(driver.State.Appointments).Status);
    }

    [Fact]
    public void A_reference_nothing_was_created_with_is_not_found_naming_the_reference_field()
    {
        var driver = WithTransitionStartedBy("epr-start-1");

        var transition = driver.Refuse(Blocker(driver, "epr-blocker-1", new ExternalReference(Epr, "epr-start-9")), RefusalKind.NotFound, "transitionRef");
        var otherSystem = driver.Refuse(Blocker(driver, "epr-blocker-2", new ExternalReference("housing-system", "epr-start-1")), RefusalKind.NotFound, "transitionRef");
        var blocker = driver.Refuse(new CancelBlocker(From("epr-cancel-1"), "", "Not needed.") { BlockerRef = new ExternalReference(Epr, "nope") },
            RefusalKind.NotFound, "blockerRef");

        Assert.Equal("No transition of this child was started with external id 'epr-start-9' from epr-test.", transition.Message);
        Assert.Contains("'epr-start-1' from housing-system", otherSystem.Message);
        Assert.Equal("No blocker of this child was raised with external id 'nope' from epr-test.", blocker.Message);
    }

    [Fact]
    public void An_id_and_a_reference_together_or_a_blank_reference_are_refused()
    {
        var driver = WithTransitionStartedBy("epr-start-1");

        driver.Refuse(new ChangeStage(From("epr-stage-1"), "transition-1", HospitalDischargeStages.MedicallyOptimised)
        {
            TransitionRef = new ExternalReference(Epr, "epr-start-1"),
        }, RefusalKind.InvalidArgument, "transitionRef");
        driver.Refuse(Blocker(driver, "epr-blocker-1", new ExternalReference(Epr, " epr-start-1")), RefusalKind.InvalidArgument, "transitionRef.externalId");
        driver.Refuse(Blocker(driver, "epr-blocker-2", new ExternalReference(Epr, "")), RefusalKind.InvalidArgument, "transitionRef.externalId");
    }

    [Fact]
    public void A_stage_move_by_reference_moves_the_transition_it_names()
    {
        var driver = WithTransitionStartedBy("epr-start-1");

        driver.Send(new ChangeStage(From("epr-stage-1"), "", HospitalDischargeStages.MedicallyOptimised)
        {
            TransitionRef = new ExternalReference(Epr, "epr-start-1"),
        });

        Assert.Equal(HospitalDischargeStages.MedicallyOptimised, Assert.Single(driver.State.Transitions).Stage);
    }
}
