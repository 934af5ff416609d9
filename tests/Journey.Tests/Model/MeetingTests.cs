using System.Collections.Immutable;
using System.Text.Json.Nodes;
using CareTwin.Journey.Appointments;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Children;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Escalations;
using CareTwin.Journey.Family;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Meetings;
using CareTwin.Journey.Projections;
using CareTwin.Journey.Serialization;
using CareTwin.Journey.Services;
using CareTwin.Journey.Transitions;
using static CareTwin.Journey.Tests.Model.ModelFixtures;

namespace CareTwin.Journey.Tests.Model;

public class MeetingTests
{
    private const string Board = "hospital:royal-thamesbank";

    private static AgendaItem Item(string id, string name, int delayed = 0, int breaches = 0, int waiting = 0, int concerns = 0, DateTimeOffset? unansweredSince = null) =>
        new(id, name, null, delayed, breaches, waiting, concerns, [], OldestUnansweredConcern: unansweredSince);

    [Fact]
    public void The_agenda_puts_the_longest_delayed_first_then_breached_SLAs_then_waiting_escalations_then_family_concerns()
    {
        var agenda = MeetingAgenda.Order(
        [
            Item("c-concern", "Dara K.", delayed: 5, breaches: 1, waiting: 1, concerns: 2),
            Item("c-quiet", "Eli M.", delayed: 5, breaches: 1, waiting: 1),
            Item("c-longest", "Zoe A.", delayed: 40),
            Item("c-breached", "Ben T.", delayed: 5, breaches: 3),
            Item("c-waiting", "Ava P.", delayed: 5, breaches: 1, waiting: 2),
            Item("c-not-delayed", "Ann B.", breaches: 9, waiting: 9, concerns: 9),
        ]);

        Assert.Equal(["c-longest", "c-breached", "c-waiting", "c-concern", "c-quiet", "c-not-delayed"], agenda.Select(i => i.ChildId));
    }

    [Fact]
    public void Among_family_concerns_the_one_unanswered_longest_comes_first_then_the_most_concerns_and_a_day_is_a_day()
    {
        var monday = new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
        var agenda = MeetingAgenda.Order(
        [
            Item("c-many-answered", "Ada B.", delayed: 5, concerns: 4),
            Item("c-waited-a-day", "Cal D.", delayed: 5, concerns: 1, unansweredSince: monday.AddDays(3)),
            Item("c-waited-longest", "Zed Y.", delayed: 5, concerns: 1, unansweredSince: monday),
            // Flagged later the same UK day as c-waited-longest: the same wait, so the count decides.
            Item("c-same-day-more", "Yan X.", delayed: 5, concerns: 3, unansweredSince: monday.AddHours(8)),
            Item("c-more-delayed", "Bo C.", delayed: 6),
        ]);

        Assert.Equal(["c-more-delayed", "c-same-day-more", "c-waited-longest", "c-waited-a-day", "c-many-answered"], agenda.Select(i => i.ChildId));
        Assert.Equal(agenda.Select(i => i.ChildId), MeetingAgenda.Order(agenda.Reverse()).Select(i => i.ChildId));
    }

    [Fact]
    public void Children_equal_on_every_measure_are_ordered_by_name_then_id_whatever_order_they_came_in()
    {
        AgendaItem[] items = [Item("c-2", "Amelia O."), Item("c-1", "amelia o."), Item("c-3", "Adam Z."), Item("c-0", "Zack A.")];

        var once = MeetingAgenda.Order(items).Select(i => i.ChildId).ToList();
        var reversed = MeetingAgenda.Order(items.Reverse()).Select(i => i.ChildId).ToList();

        Assert.Equal(["c-3", "c-1", "c-2", "c-0"], once);
        Assert.Equal(once, reversed);
    }

    [Fact]
    public void An_agenda_item_lists_the_childs_open_blockers_with_their_owners_and_what_puts_the_child_there()
    {
        var driver = ScenarioJourney.Build();

        var item = MeetingAgenda.Item(driver.State, driver.Now)!;

        Assert.Equal(("child-1", "Amelia O.", 53, 3, 1), (item.ChildId, item.ChildName, item.DaysDelayed, item.SlaBreaches, item.FamilyConcerns));
        // The family's oldest worry nobody has answered comes with it, for the meeting to take up.
        Assert.NotNull(item.OldestUnansweredConcern);
        Assert.Equal(FamilyConcerns.UnansweredOlderThan(driver.State, driver.Now, TimeSpan.Zero).Select(m => (DateTimeOffset?)m.At).FirstOrDefault(), item.OldestUnansweredConcern);
        // Open blockers only (the resolved equipment and the cancelled interpreter are not), soonest SLA first.
        Assert.Equal(["blocker-4", "blocker-2", "blocker-1"], item.Blockers.Select(b => b.BlockerId));
        var housing = item.Blockers.Single(b => b.BlockerId == "blocker-1");
        Assert.Equal((SocialCare.Key, "Chloe Hart", BlockerCategory.HousingAdaptation), (housing.OwningService, housing.NamedOwner, housing.Category));
        Assert.All(item.Blockers, b => Assert.True(b.SlaBreached));
        Assert.True(item.Blockers.Single(b => b.BlockerId == "blocker-2").Sensitive);
    }

    [Fact]
    public void A_meeting_for_some_services_takes_only_the_boards_children_with_their_blockers_and_never_the_discharged()
    {
        var now = Start;
        BoardRow Row(string id, (ServiceKey Service, int Count)[] blockers, int delayed = 0, DateOnly? dischargedOn = null, int concerns = 0) =>
            new(id, id, "royal-thamesbank", "north-thames", TransitionKind.HospitalDischarge, HospitalDischargeStages.DischargePlanning, null, delayed, null, null,
                ImmutableDictionary<BlockerCategory, int>.Empty, blockers.ToImmutableDictionary(b => b.Service, b => b.Count),
                0, 0, 0, ImmutableDictionary<ServiceKey, decimal>.Empty, ImmutableDictionary<BlockerCategory, decimal>.Empty, 0, concerns, now,
                DischargedOn: dischargedOn);
        BoardRow[] rows =
        [
            Row("housing-child", [(Housing.Key, 1)]),
            Row("social-care-child", [(SocialCare.Key, 2)], delayed: 4),
            Row("gone-home", [(Housing.Key, 1)], dischargedOn: new DateOnly(2025, 5, 1)),
            Row("nothing-to-discuss", []),
            Row("family-worried", [], concerns: 1),
        ];

        var housingOnly = MeetingAgenda.Candidates(rows, new MeetingScope(Board, [Housing.Key])).Select(r => r.ChildId);
        var wholeBoard = MeetingAgenda.Candidates(rows, new MeetingScope(Board, [])).Select(r => r.ChildId);

        Assert.Equal(["housing-child"], housingOnly);
        Assert.Equal(["housing-child", "social-care-child", "family-worried"], wholeBoard);
    }

    private static (Meeting Meeting, JourneyDriver Child) OpenMeetingOnScenario()
    {
        var child = ScenarioJourney.Build();
        var open = new OpenMeeting(Board, [], Coordinator, [new MeetingAttendee("Callum Reid", Housing.Key)]);
        var agenda = MeetingAgenda.Build([child.State], child.Now);
        var change = MeetingRules.Open(null, "mdt-2025-06-02", open, agenda, child.Context);
        Assert.Null(change.Refusal);
        return (change.Meeting!, child);
    }

    /// <summary>Captures an action the way the meeting grain does: the meeting's rules, then the child's, then the record.</summary>
    private static (Meeting Meeting, ImmutableArray<JourneyEvent> Recorded) Capture(Meeting meeting, JourneyDriver child, Func<CommandOrigin, JourneyCommand> make)
    {
        var (command, refusal) = MeetingRules.PrepareAction(meeting, new CaptureAction("child-1", make(child.NextOrigin())));
        Assert.Null(refusal);
        var accepted = Assert.IsType<Decision.Accepted>(child.Send(command!));
        var change = MeetingRules.RecordAction(meeting, "child-1", command!, accepted.Events, child.State, child.Now);
        Assert.Null(change.Refusal);
        return (change.Meeting!, accepted.Events);
    }

    [Fact]
    public void An_action_agreed_at_the_meeting_reaches_the_childs_journal_as_agreed_at_the_MDT_of_that_day_with_the_attendees()
    {
        var (meeting, child) = OpenMeetingOnScenario();
        meeting = MeetingRules.AddAttendee(meeting, new AddAttendee("Chloe Hart", "social-care.newham"), Agencies).Meeting!;

        (meeting, var decided) = Capture(meeting, child, o => new RecordMeetingDecision(o, "  Ask the family about respite before the next MDT. ", "social-care.newham",
            UkCalendar.DateOf(child.Now).AddDays(14)));
        (meeting, var resolved) = Capture(meeting, child, o => new ResolveBlocker(o, "blocker-4", "Crew booked."));
        (meeting, var raised) = Capture(meeting, child, o => new RaiseBlocker(o, "transition-1", BlockerCategory.Equipment, "health.equipment.newham", "Sam Lee",
            "Hoist sling needs re-sizing", null, UkCalendar.DateOf(child.Now).AddDays(10)));

        var journal = child.Journal.TakeLast(3).ToList();
        Assert.Equal([.. decided, .. resolved, .. raised], journal);
        Assert.All(journal, e => Assert.Equal(meeting.Reference(), e.Provenance.Meeting));
        Assert.Equal("agreed at the MDT of 2 June 2025 (attendees: Priya Shah; Callum Reid, Newham Council housing team; Chloe Hart, Newham children's social care)",
            journal[0].Provenance.Meeting!.Describe(Agencies));
        var decision = Assert.IsType<MeetingDecisionRecorded>(journal[0]);
        Assert.Equal(("Ask the family about respite before the next MDT.", SocialCare.Key), (decision.Decision, decision.OwningService));
        Assert.Equal(BlockerStatus.Resolved, child.Blocker("blocker-4").Status);
        Assert.Equal("blocker-6", Assert.IsType<BlockerRaised>(journal[2]).BlockerId);

        Assert.Equal([MeetingActionKind.Decision, MeetingActionKind.ResolveBlocker, MeetingActionKind.RaiseBlocker], meeting.Actions.Select(a => a.Kind));
        Assert.Equal([1, 2, 3], meeting.Actions.Select(a => a.Number));
        var raise = meeting.Actions[2];
        Assert.Equal((Equipment.Key, "Sam Lee", new DateOnly(2025, 6, 12), "blocker-6"), (raise.Owner, raise.NamedOwner, raise.Date, raise.BlockerId));
        Assert.Equal((Equipment.Key, (DateOnly?)null), (meeting.Actions[1].Owner, meeting.Actions[1].Date));
    }

    [Fact]
    public void A_change_made_outside_a_meeting_carries_no_meeting_and_its_JSON_is_as_before()
    {
        var driver = new JourneyDriver().InHospital();
        var e = driver.Journal[^1];

        Assert.Null(e.Provenance.Meeting);
        Assert.Null(JsonNode.Parse(JourneyJson.Serialize(e))!["provenance"]!["meeting"]);
    }

    [Fact]
    public void A_journal_entry_with_its_meeting_round_trips_and_one_stored_before_meetings_still_reads()
    {
        var (meeting, child) = OpenMeetingOnScenario();
        (_, var recorded) = Capture(meeting, child, o => new EscalateBlocker(o, "blocker-2", "No plan after six weeks."));

        var json = JourneyJson.Serialize(recorded[0]);
        var back = JourneyJson.Deserialize<JourneyEvent>(json);
        Assert.Equal(meeting.Reference(), back.Provenance.Meeting);
        Assert.Equal(json, JourneyJson.Serialize(back));
        Assert.Contains("\"meeting\":{\"meetingId\":\"mdt-2025-06-02\",\"heldOn\":\"2025-06-02\",\"attendees\":[{\"name\":\"Priya Shah\"},{\"name\":\"Callum Reid\",\"service\":\"housing.newham\"}]}", json);

        const string stored = """{"type":"blocker-resolved","provenance":{"actor":{"id":"coord-1","displayName":"Priya Shah","role":"coordinator"},"at":"2025-06-02T09:00:00+01:00","sourceSystem":"caretwin.web","externalId":"change-9"},"blockerId":"blocker-1","note":"Done"}""";
        var old = Assert.IsType<BlockerResolved>(JourneyJson.Deserialize<JourneyEvent>(stored));
        Assert.Equal((null, "change-9", "Done"), (old.Provenance.Meeting, old.Provenance.ExternalId, old.Note));
        Assert.DoesNotContain("meeting", JourneyJson.Serialize<JourneyEvent>(old));
    }

    [Fact]
    public void A_decision_is_recorded_only_with_its_meeting_and_its_words()
    {
        var (meeting, child) = OpenMeetingOnScenario();
        var atMeeting = child.NextOrigin() with { Meeting = meeting.Reference() };

        var outside = child.Refuse(o => new RecordMeetingDecision(o, "Agreed in the corridor"), RefusalKind.InvalidArgument, "origin.meeting");
        var blank = child.Refuse(new RecordMeetingDecision(atMeeting, "  "), RefusalKind.InvalidArgument, "decision");
        child.Refuse(new RecordMeetingDecision(atMeeting with { ExternalId = "x-1" }, "Ask housing", "housing.hackney"), RefusalKind.InvalidArgument, "owningService");
        child.Refuse(new RecordMeetingDecision(atMeeting with { ExternalId = "x-2" }, "Ask housing", TargetDate: new DateOnly(2025, 6, 1)), RefusalKind.InvalidArgument, "targetDate");
        child.Refuse(new RecordMeetingDecision(atMeeting with { ExternalId = "x-3", Meeting = meeting.Reference() with { Attendees = [new MeetingAttendee(" ")] } }, "Ask housing"),
            RefusalKind.InvalidArgument, "origin.meeting.attendees[0].name");

        Assert.Contains("meeting", outside.Message);
        Assert.Equal("Enter the decision.", blank.Message);
    }

    [Fact]
    public void The_coordinator_can_reorder_the_agenda_and_add_a_child_at_the_end()
    {
        var (meeting, child) = OpenMeetingOnScenario();
        var other = new JourneyDriver(child.Now).Registered("child-2");
        var added = MeetingRules.AddChild(meeting, new AddChildToAgenda("child-2"), MeetingAgenda.Item(other.State, other.Now)).Meeting!;

        Assert.Equal(["child-1", "child-2"], added.Agenda.Select(i => i.ChildId));
        Assert.True(added.Agenda[1].AddedDuringMeeting);
        var moved = MeetingRules.MoveAgendaItem(added, new MoveAgendaItem("child-2", 1)).Meeting!;
        Assert.Equal(["child-2", "child-1"], moved.Agenda.Select(i => i.ChildId));
    }

    [Fact]
    public void Bad_changes_to_a_meeting_are_refused_naming_the_field_and_change_nothing()
    {
        var (meeting, child) = OpenMeetingOnScenario();
        var before = Json(meeting);
        void Refused(MeetingChange change, RefusalKind kind, string field, string message)
        {
            Assert.Null(change.Meeting);
            Assert.Equal((kind, field, message), (change.Refusal!.Kind, change.Refusal.Field, change.Refusal.Message));
        }
        Refusal Prepared(JourneyCommand command, string childId = "child-1")
        {
            var (sent, refusal) = MeetingRules.PrepareAction(meeting, new CaptureAction(childId, command));
            Assert.Null(sent);
            return refusal!;
        }

        Assert.Equal(MeetingRules.NotOnAgenda, Prepared(new ResolveBlocker(child.NextOrigin(), "blocker-1"), "child-elsewhere"));
        Assert.Equal("This child is not on the agenda.", MeetingRules.NotOnAgenda.Message);
        Assert.Equal(("decision", "Enter the decision."), (Prepared(new RecordMeetingDecision(child.NextOrigin(), "")).Field, Prepared(new RecordMeetingDecision(child.NextOrigin(), "")).Message));
        Assert.Equal("targetDate", Prepared(new UpdateBlockerProgress(child.NextOrigin(), "blocker-1", BlockerStatus.InProgress)).Field);
        Assert.Equal("command", Prepared(new CancelBlocker(child.NextOrigin(), "blocker-1", "Not needed")).Field);
        Refused(MeetingRules.MoveAgendaItem(meeting, new MoveAgendaItem("child-elsewhere", 1)), RefusalKind.FailedPrecondition, "childId", "This child is not on the agenda.");
        Refused(MeetingRules.MoveAgendaItem(meeting, new MoveAgendaItem("child-1", 2)), RefusalKind.InvalidArgument, "position", "Choose a place on the agenda from 1 to 1.");
        Refused(MeetingRules.AddChild(meeting, new AddChildToAgenda("child-1"), MeetingAgenda.Item(child.State, child.Now)), RefusalKind.FailedPrecondition, "childId", "This child is already on the agenda.");
        Refused(MeetingRules.AddChild(meeting, new AddChildToAgenda("child-9"), null), RefusalKind.NotFound, "childId", "No child is registered with this id.");
        Refused(MeetingRules.AddAttendee(meeting, new AddAttendee(" "), Agencies), RefusalKind.InvalidArgument, "name", "Enter the attendee's name.");
        Refused(MeetingRules.AddAttendee(meeting, new AddAttendee("callum reid", "housing.newham"), Agencies), RefusalKind.FailedPrecondition, "name", "callum reid is already on the attendee list.");
        Refused(MeetingRules.AddAttendee(meeting, new AddAttendee("Ann", "housing.hackney"), Agencies), RefusalKind.InvalidArgument, "service", "service 'housing.hackney' is not a known service.");
        Refused(MeetingRules.Open(meeting, meeting.MeetingId, new OpenMeeting(Board, [], Coordinator, []), [], child.Context), RefusalKind.FailedPrecondition, "meetingId", "This meeting is already open.");
        Assert.Equal(before, Json(meeting));

        var closed = MeetingRules.Close(meeting, new CloseMeeting(Coordinator), child.Now).Meeting!;
        Assert.True(closed.IsClosed);
        var closedJson = Json(closed);
        Refused(MeetingRules.Close(closed, new CloseMeeting(Coordinator), child.Now), RefusalKind.FailedPrecondition, "meetingId", "This meeting is already closed.");
        Assert.Equal(MeetingRules.AlreadyClosed, MeetingRules.PrepareAction(closed, new CaptureAction("child-1", new ResolveBlocker(child.NextOrigin(), "blocker-1"))).Refusal);
        Refused(MeetingRules.MoveAgendaItem(closed, new MoveAgendaItem("child-1", 1)), RefusalKind.FailedPrecondition, "meetingId", "This meeting is already closed.");
        Assert.Equal(closedJson, Json(closed));
    }

    [Fact]
    public void Opening_checks_the_services_and_attendees_and_puts_the_chair_first()
    {
        var child = ScenarioJourney.Build();
        var refused = MeetingRules.Open(null, "mdt-1", new OpenMeeting(Board, ["housing.newham", "housing.hackney"], Coordinator, []), [], child.Context).Refusal!;
        Assert.Equal(("services[1]", RefusalKind.InvalidArgument), (refused.Field, refused.Kind));
        Assert.Equal("attendees[0].name", MeetingRules.Open(null, "mdt-1", new OpenMeeting(Board, [], Coordinator, [new MeetingAttendee("")]), [], child.Context).Refusal!.Field);
        Assert.Equal("meetingId", MeetingRules.Open(null, "mdt 1", new OpenMeeting(Board, [], Coordinator, []), [], child.Context).Refusal!.Field);

        var meeting = MeetingRules.Open(null, "mdt-1", new OpenMeeting(Board, ["housing.newham"], Coordinator, [new MeetingAttendee("Priya Shah")]), [], child.Context).Meeting!;
        Assert.Equal([new MeetingAttendee("Priya Shah")], meeting.Attendees.ToArray());
        Assert.Equal((new DateOnly(2025, 6, 2), Housing.Key), (meeting.HeldOn, meeting.Scope.Services.Single()));
    }

    [Fact]
    public void The_minutes_give_each_child_the_attendees_decisions_and_actions_and_each_agency_the_actions_it_owns()
    {
        var (meeting, child) = OpenMeetingOnScenario();
        (meeting, _) = Capture(meeting, child, o => new RecordMeetingDecision(o, "Review at the next MDT."));
        (meeting, _) = Capture(meeting, child, o => new ReassignBlocker(o, "blocker-1", "housing.newham", "Callum Reid", "Housing has the adaptation funding."));
        (meeting, _) = Capture(meeting, child, o => new UpdateBlockerProgress(o, "blocker-2", TargetDate: new DateOnly(2025, 7, 1)));
        (meeting, _) = Capture(meeting, child, o => new BookAppointment(o, "housing.newham", London(2025, 6, 9, 14), TimeSpan.FromHours(1), "Family home", "Adaptation survey"));

        var minutes = Assert.Single(MeetingMinutes.ForEveryChild(meeting));
        Assert.Equal(("child-1", "Amelia O.", new DateOnly(2025, 6, 2)), (minutes.ChildId, minutes.ChildName, minutes.HeldOn));
        Assert.Equal(["Priya Shah", "Callum Reid"], minutes.Attendees.Select(a => a.Name));
        Assert.Equal("Review at the next MDT.", Assert.Single(minutes.Decisions).Decision);
        Assert.Equal(
            [(MeetingActionKind.ReassignBlocker, "housing.newham", new DateOnly(2025, 8, 8)), (MeetingActionKind.SetTargetDate, "social-care.newham", new DateOnly(2025, 7, 1)),
             (MeetingActionKind.BookAppointment, "housing.newham", new DateOnly(2025, 6, 9))],
            minutes.Actions.Select(a => (a.Kind, a.Owner!.Value, a.Date!.Value)));

        var housing = MeetingMinutes.ForAgency(meeting, Housing.Key);
        Assert.Equal([2, 4], housing.Actions.Select(a => a.Number));
        Assert.Equal(["housing.newham", "social-care.newham"], MeetingMinutes.ForEveryAgency(meeting).Select(a => a.Service.Value));
        Assert.Empty(MeetingMinutes.ForAgency(meeting, Equipment.Key).Actions);
        Assert.Null(MeetingMinutes.ForChild(meeting, "child-elsewhere"));
    }
}
