using System.Collections.Immutable;
using CareTwin.Grains.Access;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Meetings;
using CareTwin.Journey.Services;
using static CareTwin.Journey.Tests.Model.ModelFixtures;

namespace CareTwin.Grains.Tests.Access;

public sealed class MeetingAccessTests
{
    private static readonly Caller CoordinatorCaller = Caller.Coordinator("coord-1", "Priya Shah");
    private static readonly Caller HousingStaff = Caller.AgencyStaff("housing-1", "Callum Reid", Housing.Key);
    private static readonly Caller SocialCareStaff = Caller.AgencyStaff("sc-1", "Chloe Hart", SocialCare.Key);
    private static readonly Caller EquipmentStaff = Caller.AgencyStaff("eq-1", "Sam Lee", Equipment.Key);
    private static readonly Caller Mother = Caller.Family("family-1", "Sarah", "child-1");
    private static readonly Caller HousingSystem = Caller.ExternalSystem("housing-cms", "Housing case system", ["housing.newham"], managesJourneys: false);
    private static readonly Caller Operator = Caller.Operator("ops-1", "Sam Okafor");
    private static readonly DateOnly Today = new(2026, 12, 5);

    private static AgendaBlocker Blocker(string id, ServiceProfile owner, bool sensitive = false) =>
        new(id, BlockerCategory.Other, owner.Key, null, $"In the way: {id}", Today.AddDays(7), Today.AddDays(5), false, 0, false, sensitive);

    private static AgendaItem Item(string childId, params AgendaBlocker[] blockers) => new(childId, $"Child {childId}", null, 2, 0, 0, 0, [.. blockers]);

    /// <summary>child-1: a housing blocker and social care's sensitive blocker; child-2: an equipment blocker only.</summary>
    private static Meeting BoardMeeting(params ServiceKey[] services) => new("mdt-1", new MeetingScope("hospital:royal-thamesbank", [.. services]), Today, Coordinator,
        [new MeetingAttendee("Priya Shah")],
        [Item("child-1", Blocker("blocker-1", Housing), Blocker("blocker-2", SocialCare, sensitive: true)), Item("child-2", Blocker("blocker-1", Equipment))],
        [Action(1, "child-1", "blocker-2", SocialCare.Key), Action(2, "child-1", null, Housing.Key), Action(3, "child-2", null, Equipment.Key)],
        DateTimeOffset.UnixEpoch);

    private static MeetingAction Action(int number, string childId, string? blockerId, ServiceKey owner) =>
        new(number, childId, blockerId is null ? MeetingActionKind.Decision : MeetingActionKind.ResolveBlocker, Coordinator, DateTimeOffset.UnixEpoch, owner, null, null, blockerId,
            blockerId is null ? "Agreed" : null, []);

    [Fact]
    public void A_coordinator_runs_and_sees_any_meeting_and_may_open_one()
    {
        foreach (var action in new[] { AccessAction.RunMeeting, AccessAction.ViewMeeting, AccessAction.WatchMeeting })
            Assert.True(AccessPolicy.ForMeeting(CoordinatorCaller, action, BoardMeeting()).Allowed);
        Assert.True(AccessPolicy.ForMeeting(CoordinatorCaller, AccessAction.RunMeeting, null).Allowed);
        Assert.Equal(3, AccessPolicy.MeetingAsSeenBy(CoordinatorCaller, BoardMeeting()).Actions.Length);
    }

    [Fact]
    public void Agency_staff_attend_a_board_meeting_only_where_they_own_a_blocker_on_the_agenda_and_never_run_it()
    {
        var meeting = BoardMeeting();
        Assert.True(AccessPolicy.ForMeeting(HousingStaff, AccessAction.ViewMeeting, meeting).Allowed);
        Assert.True(AccessPolicy.ForMeeting(HousingStaff, AccessAction.WatchMeeting, meeting).Allowed);
        var run = AccessPolicy.ForMeeting(HousingStaff, AccessAction.RunMeeting, meeting);
        Assert.Equal((false, "Only a coordinator can run the meeting."), (run.Allowed, run.Told));
        Assert.False(AccessPolicy.ForMeeting(HousingStaff, AccessAction.ViewMeeting, null).Allowed);

        var withoutHousing = meeting with { Agenda = [meeting.Agenda[1]] };
        Assert.False(AccessPolicy.ForMeeting(HousingStaff, AccessAction.ViewMeeting, withoutHousing).Allowed);
        Assert.Null(AccessPolicy.ForMeeting(HousingStaff, AccessAction.RunMeeting, withoutHousing).Told);
    }

    [Fact]
    public void A_meeting_for_a_set_of_services_is_attended_by_those_services_alone()
    {
        var forHousing = BoardMeeting(Housing.Key);
        Assert.True(AccessPolicy.ForMeeting(HousingStaff, AccessAction.ViewMeeting, forHousing).Allowed);
        // Equipment owns a blocker on the agenda, but the meeting is not for equipment.
        Assert.False(AccessPolicy.ForMeeting(EquipmentStaff, AccessAction.ViewMeeting, forHousing).Allowed);
    }

    [Fact]
    public void Families_systems_and_operators_never_see_a_meeting()
    {
        foreach (var caller in new[] { Mother, HousingSystem, Operator, Caller.Unauthenticated("Not signed in") })
        foreach (var action in new[] { AccessAction.RunMeeting, AccessAction.ViewMeeting, AccessAction.WatchMeeting })
            Assert.False(AccessPolicy.ForMeeting(caller, action, BoardMeeting()).Allowed);
        Assert.False(AccessPolicy.ForMeeting(CoordinatorCaller, AccessAction.ViewChild, BoardMeeting()).Allowed);
    }

    [Fact]
    public void Agency_staff_see_only_their_children_and_never_another_services_sensitive_blocker_or_an_action_on_it()
    {
        var housing = AccessPolicy.MeetingAsSeenBy(HousingStaff, BoardMeeting());
        Assert.Equal(["child-1"], housing.Agenda.Select(i => i.ChildId));
        Assert.Equal(["blocker-1"], housing.Agenda[0].Blockers.Select(b => b.BlockerId));
        Assert.Equal([2], housing.Actions.Select(a => a.Number));

        // Social care sees its own sensitive blocker and the action on it.
        var socialCare = AccessPolicy.MeetingAsSeenBy(SocialCareStaff, BoardMeeting());
        Assert.Equal(["blocker-1", "blocker-2"], socialCare.Agenda[0].Blockers.Select(b => b.BlockerId));
        Assert.Equal([1, 2], socialCare.Actions.Select(a => a.Number));
    }
}
