using System.Collections.Concurrent;
using Orleans.Streams;
using CareTwin.Grains.Children;
using CareTwin.Grains.Meetings;
using CareTwin.Grains.Publishing;
using CareTwin.Grains.Tests.Twins;
using CareTwin.Journey.Appointments;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Meetings;
using CareTwin.Journey.Transitions;
using static CareTwin.Journey.Tests.Model.ModelFixtures;

namespace CareTwin.Grains.Tests.Meetings;

public sealed class MeetingGrainTests
{
    private const string Board = "hospital:royal-thamesbank";

    /// <summary>child-late: ready for discharge three days ago, a housing blocker; child-blocked: an equipment blocker; child-quiet: nothing to discuss.</summary>
    private static async Task<TwinHost> WardAsync()
    {
        var host = await TwinHost.StartAsync();
        var late = await host.InHospitalAsync("child-late");
        await TwinHost.Accept(late, new ChangeStage(host.Origin(), "transition-1", HospitalDischargeStages.MedicallyOptimised));
        await TwinHost.Accept(late, ChildTwinTests.RaiseBlocker(host, host.Today.AddDays(30)));
        await host.Silo.PassTimeAsync(TimeSpan.FromDays(3));
        var blocked = await host.InHospitalAsync("child-blocked");
        await TwinHost.Accept(blocked, new RaiseBlocker(host.Origin(), "transition-1", BlockerCategory.Equipment, "health.equipment.newham", null,
            "Hoist on back-order", null, host.Today.AddDays(10)));
        await host.InHospitalAsync("child-quiet");
        return host;
    }

    [Fact]
    public async Task Actions_agreed_at_a_meeting_reach_the_childrens_journals_with_the_meeting_and_a_closed_meeting_stays_closed()
    {
        await using var host = await WardAsync();
        var meeting = host.Grains.GetGrain<IMeetingGrain>("mdt-1");
        var watched = new ConcurrentQueue<MeetingChanged>();
        await host.Streams.MeetingStream("mdt-1").SubscribeAsync((change, _) => { watched.Enqueue(change); return Task.CompletedTask; });

        var opened = await meeting.Open(new OpenMeeting(Board, [], Coordinator, [new MeetingAttendee("Callum Reid", Housing.Key)]));

        var agenda = opened.Meeting!.Agenda;
        Assert.Equal(["child-late", "child-blocked"], agenda.Select(i => i.ChildId));
        Assert.Equal(3, agenda[0].DaysDelayed);
        Assert.Equal((Housing.Key, "Callum Reid"), (agenda[0].Blockers.Single().OwningService, agenda[0].Blockers.Single().NamedOwner));
        var lateVersion = (await host.Child("child-late").GetJourney())!.Version;
        var blockedVersion = (await host.Child("child-blocked").GetJourney())!.Version;

        var decided = await meeting.CaptureAction(new CaptureAction("child-late", new RecordMeetingDecision(host.Origin(), "Ask the family about respite.", "housing.newham")));
        var resolved = await meeting.CaptureAction(new CaptureAction("child-blocked", new ResolveBlocker(host.Origin(), "blocker-1", "Hoist delivered.")));
        var raised = await meeting.CaptureAction(new CaptureAction("child-late", new RaiseBlocker(host.Origin(), "transition-1", BlockerCategory.Transport,
            "health.equipment.newham", "Sam Lee", "Wheelchair transport to be arranged", null, host.Today.AddDays(7))));

        Assert.All(new[] { decided, resolved, raised }, o => Assert.Equal(OutcomeKind.Accepted, o.Kind));
        Assert.Equal([MeetingActionKind.Decision, MeetingActionKind.ResolveBlocker, MeetingActionKind.RaiseBlocker], raised.Meeting!.Actions.Select(a => a.Kind));
        Assert.Equal(("blocker-2", Equipment.Key), (raised.Action!.BlockerId, raised.Action.Owner));
        var late = (await host.Child("child-late").GetTimeline(lateVersion, 10))!.Entries;
        var blocked = (await host.Child("child-blocked").GetTimeline(blockedVersion, 10))!.Entries;
        Assert.Equal(["meeting-decision-recorded", "blocker-raised"], late.Select(e => e.Kind));
        Assert.Equal(["blocker-resolved"], blocked.Select(e => e.Kind));
        Assert.All(late.Concat(blocked), e =>
        {
            var at = e.Event.Provenance.Meeting!;
            Assert.Equal(("mdt-1", host.Today), (at.MeetingId, at.HeldOn));
            Assert.Equal(["Priya Shah", "Callum Reid"], at.Attendees.Select(a => a.Name));
        });
        Assert.Equal(BlockerStatus.Resolved, (await host.Child("child-blocked").GetJourney())!.FindBlocker("blocker-1")!.Status);

        // The child's own refusal comes back as it is, and the meeting records nothing.
        var unknownBlocker = await meeting.CaptureAction(new CaptureAction("child-late", new ResolveBlocker(host.Origin(), "blocker-9")));
        Assert.Equal((OutcomeKind.Refused, "blockerId"), (unknownBlocker.Kind, unknownBlocker.Refusal!.Field));
        var notOnAgenda = await meeting.CaptureAction(new CaptureAction("child-quiet", new RecordMeetingDecision(host.Origin(), "Discharge next week.")));
        Assert.Equal(("childId", "This child is not on the agenda."), (notOnAgenda.Refusal!.Field, notOnAgenda.Refusal.Message));
        Assert.Equal(3, (await meeting.GetMeeting())!.Actions.Length);
        // Each service given an action finds the meeting from its own view; a service given none does not.
        Assert.Equal("mdt-1", Assert.Single(await host.Grains.GetGrain<IServiceMeetingsGrain>("housing.newham").GetMeetingIds()));
        Assert.Equal("mdt-1", Assert.Single(await host.Grains.GetGrain<IServiceMeetingsGrain>("health.equipment.newham").GetMeetingIds()));
        Assert.Empty(await host.Grains.GetGrain<IServiceMeetingsGrain>("social-care.newham").GetMeetingIds());

        Assert.True((await meeting.Close(new CloseMeeting(Coordinator))).Meeting!.IsClosed);
        var again = await meeting.Close(new CloseMeeting(Coordinator));
        Assert.Equal((RefusalKind.FailedPrecondition, "meetingId", "This meeting is already closed."), (again.Refusal!.Kind, again.Refusal.Field, again.Refusal.Message));
        var afterClose = await meeting.CaptureAction(new CaptureAction("child-late", new RecordMeetingDecision(host.Origin(), "One more thing.")));
        Assert.Equal(MeetingRules.AlreadyClosed, afterClose.Refusal);

        // Those attending saw the meeting open, each action as it was agreed, and the close.
        var seen = await Until.Read(() => Task.FromResult(watched.ToList()), w => w.Count == 5, "five meeting changes");
        Assert.Equal([null, 1, 2, 3, null], seen.Select(c => c.Action?.Number));
        Assert.True(seen[^1].Meeting.IsClosed);

        await host.RestartAsync();
        var kept = (await host.Grains.GetGrain<IMeetingGrain>("mdt-1").GetMeeting())!;
        Assert.True(kept.IsClosed);
        Assert.Equal(["Ask the family about respite.", null, null], kept.Actions.Select(a => a.Decision));
        Assert.IsType<MeetingDecisionRecorded>(Assert.Single(Assert.Single(MeetingMinutes.ForChild(kept, "child-late")!.Decisions).Recorded));
    }

    [Fact]
    public async Task A_meeting_for_a_service_takes_only_the_children_with_its_blockers_and_the_coordinator_can_add_and_reorder()
    {
        await using var host = await WardAsync();
        var meeting = host.Grains.GetGrain<IMeetingGrain>("housing-mdt");

        var opened = await meeting.Open(new OpenMeeting(Board, ["housing.newham"], Coordinator, []));
        Assert.Equal(["child-late"], opened.Meeting!.Agenda.Select(i => i.ChildId));

        Assert.Equal("board", (await host.Grains.GetGrain<IMeetingGrain>("other").Open(new OpenMeeting("ward 7", [], Coordinator, []))).Refusal!.Field);
        Assert.Null(await host.Grains.GetGrain<IMeetingGrain>("other").GetMeeting());
        var nobody = (await meeting.AddChild(new AddChildToAgenda("child-nobody"))).Refusal!;
        Assert.Equal(("childId", RefusalKind.NotFound), (nobody.Field, nobody.Kind));
        var added = await meeting.AddChild(new AddChildToAgenda("child-quiet"));
        Assert.Equal(["child-late", "child-quiet"], added.Meeting!.Agenda.Select(i => i.ChildId));
        var moved = await meeting.MoveAgendaItem(new MoveAgendaItem("child-quiet", 1));
        Assert.Equal(["child-quiet", "child-late"], moved.Meeting!.Agenda.Select(i => i.ChildId));
        var unknown = await meeting.MoveAgendaItem(new MoveAgendaItem("child-blocked", 1));
        Assert.Equal(("childId", "This child is not on the agenda."), (unknown.Refusal!.Field, unknown.Refusal.Message));
        Assert.Equal(["child-quiet", "child-late"], (await meeting.GetMeeting())!.Agenda.Select(i => i.ChildId));
    }

    [Fact]
    public async Task An_appointment_booked_at_a_meeting_is_in_the_childs_journal_with_the_meeting_and_its_service_finds_it_and_a_bad_one_changes_nothing()
    {
        await using var host = await WardAsync();
        var meeting = host.Grains.GetGrain<IMeetingGrain>("mdt-appointments");
        await meeting.Open(new OpenMeeting(Board, [], Coordinator, [new MeetingAttendee("Callum Reid", Housing.Key)]));
        var version = (await host.Child("child-late").GetJourney())!.Version;
        var start = UkCalendar.At(host.Today.AddDays(9), new TimeOnly(10, 30));

        // The appointment command's own rules: a place is needed, and nothing is booked or recorded without one.
        var noPlace = await meeting.CaptureAction(new CaptureAction("child-late",
            new BookAppointment(host.Origin(), "housing.newham", start, TimeSpan.FromHours(1), " ", "Adaptation survey")));
        Assert.Equal((OutcomeKind.Refused, "place"), (noPlace.Kind, noPlace.Refusal!.Field));
        Assert.Equal(version, (await host.Child("child-late").GetJourney())!.Version);
        Assert.Empty((await meeting.GetMeeting())!.Actions);

        var booked = await meeting.CaptureAction(new CaptureAction("child-late",
            new BookAppointment(host.Origin(), "housing.newham", start, TimeSpan.FromHours(1), "Family home", "Adaptation survey")));

        Assert.Equal(OutcomeKind.Accepted, booked.Kind);
        Assert.Equal((MeetingActionKind.BookAppointment, Housing.Key, host.Today.AddDays(9)), (booked.Action!.Kind, booked.Action.Owner, booked.Action.Date));
        var entry = Assert.Single((await host.Child("child-late").GetTimeline(version, 10))!.Entries);
        var recorded = Assert.IsType<AppointmentBooked>(entry.Event);
        Assert.Equal((start, "Family home", "Adaptation survey"), (recorded.Start, recorded.Place, recorded.Purpose));
        Assert.Equal(["Priya Shah", "Callum Reid"], recorded.Provenance.Meeting!.Attendees.Select(a => a.Name));
        Assert.Equal("appointment-1", Assert.Single((await host.Child("child-late").GetJourney())!.Appointments).Id);
        Assert.Single(Assert.Single(MeetingMinutes.ForEveryAgency((await meeting.GetMeeting())!)).Actions);
        Assert.Equal("mdt-appointments", Assert.Single(await host.Grains.GetGrain<IServiceMeetingsGrain>("housing.newham").GetMeetingIds()));
    }
}
