using CareTwin.Journey.Appointments;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Children;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Transitions;

namespace CareTwin.Journey.Tests.Model;

public class RegistrationTests
{
    private static RegisterChild Register(CommandOrigin o, string childId = "child-1", DateOnly? dateOfBirth = null,
        string hospital = "royal-thamesbank", string givenName = "Amelia") =>
        new(o, childId, ModelFixtures.ValidNhsNumber, givenName, "Okonkwo", dateOfBirth ?? new DateOnly(2021, 3, 14),
            hospital, "north-thames", [new CareTeamMember("Priya Shah", "Discharge coordinator")]);

    [Fact]
    public void Registering_records_who_when_where_from_and_the_external_id()
    {
        var driver = new JourneyDriver();
        var origin = new CommandOrigin(ModelFixtures.Coordinator, "epr.royal-thamesbank", "pas-admission-8812");
        var registered = Assert.IsType<ChildRegistered>(Assert.Single(driver.Send(Register(origin)).EventsToAppend));

        Assert.Equal(new Provenance(ModelFixtures.Coordinator, driver.Now, "epr.royal-thamesbank", "pas-admission-8812"), registered.Provenance);
        var child = driver.State.Child!;
        Assert.Equal(("child-1", "9434765919", "Amelia", "royal-thamesbank"), (child.ChildId, child.NhsNumber.Digits, child.GivenName, child.HospitalKey));
        Assert.Equal("Amelia O.", child.BoardName);
        Assert.Equal(1, driver.State.Version);
    }

    [Fact]
    public void Any_other_command_on_an_unregistered_child_is_not_found()
    {
        var driver = new JourneyDriver();
        driver.Refuse(o => new StartTransition(o, TransitionKind.HospitalDischarge), RefusalKind.NotFound, "childId");
        driver.Refuse(o => new ResolveBlocker(o, "blocker-1"), RefusalKind.NotFound, "childId");
    }

    [Fact]
    public void A_child_is_registered_once()
    {
        var driver = new JourneyDriver().Registered();
        driver.Refuse(o => Register(o), RefusalKind.FailedPrecondition, "childId");
    }

    [Fact]
    public void A_date_of_birth_in_the_future_is_refused_by_the_UK_calendar()
    {
        // 00:30 on 3 June in London is still 2 June in UTC: 3 June is today, 4 June is the future.
        var driver = new JourneyDriver(ModelFixtures.London(2025, 6, 3, 0, 30));
        driver.Refuse(o => Register(o, dateOfBirth: new DateOnly(2025, 6, 4)), RefusalKind.InvalidArgument, "dateOfBirth");
        driver.Do(o => Register(o, dateOfBirth: new DateOnly(2025, 6, 3)));
    }

    [Theory]
    [InlineData("child 1", "royal-thamesbank", "childId")]
    [InlineData("child/1", "royal-thamesbank", "childId")]
    [InlineData("child-1", "Royal Thamesbank", "hospitalKey")]
    [InlineData("child-1", "", "hospitalKey")]
    public void Malformed_keys_are_refused(string childId, string hospital, string field)
    {
        new JourneyDriver().Refuse(o => Register(o, childId, hospital: hospital), RefusalKind.InvalidArgument, field);
    }

    [Fact]
    public void Care_team_members_need_a_name_and_role()
    {
        var driver = new JourneyDriver();
        driver.Refuse(o => Register(o) with { CareTeam = [new CareTeamMember("Priya Shah", "Coordinator"), new CareTeamMember(" ", "Nurse")] },
            RefusalKind.InvalidArgument, "careTeam[1].name");
    }

    [Fact]
    public void Commands_from_an_unnamed_origin_are_refused_naming_the_origin_field()
    {
        var driver = new JourneyDriver();
        driver.Refuse(Register(new CommandOrigin(ModelFixtures.Coordinator, "caretwin.web", "")), RefusalKind.InvalidArgument, "origin.externalId");
        driver.Refuse(Register(new CommandOrigin(ModelFixtures.Coordinator, " caretwin.web", "x-1")), RefusalKind.InvalidArgument, "origin.sourceSystem");
        driver.Refuse(Register(new CommandOrigin(ModelFixtures.Coordinator with { Id = "" }, "caretwin.web", "x-1")), RefusalKind.InvalidArgument, "origin.actor.id");
        driver.Refuse(Register(new CommandOrigin(ModelFixtures.Coordinator, "caretwin.web", "x\n1")), RefusalKind.InvalidArgument, "origin.externalId");
        driver.Refuse(Register(null!), RefusalKind.InvalidArgument, "origin");
    }

    [Fact]
    public void Commands_on_unknown_blockers_appointments_and_transitions_are_not_found()
    {
        var driver = new JourneyDriver().InHospital();
        var target = UkCalendar.DateOf(driver.Now).AddDays(5);
        driver.Refuse(o => new UpdateBlockerProgress(o, "blocker-9", Status: BlockerStatus.InProgress), RefusalKind.NotFound, "blockerId");
        driver.Refuse(o => new UpdateAppointment(o, "appointment-9", AppointmentStatus.Cancelled), RefusalKind.NotFound, "appointmentId");
        driver.Refuse(o => new RaiseBlocker(o, "transition-9", BlockerCategory.Equipment, "health.equipment.newham", null, "x", null, target), RefusalKind.NotFound, "transitionId");
    }
}
