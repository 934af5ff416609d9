using System.Collections.Immutable;
using CareTwin.Grains.Boards;
using CareTwin.Journey.Appointments;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Children;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Escalations;
using CareTwin.Journey.Family;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Meetings;
using CareTwin.Journey.References;
using CareTwin.Journey.Services;
using CareTwin.Journey.Transitions;

namespace CareTwin.Grains.Access;

/// <summary>
/// The one authorization policy: pages, hubs and gRPC all ask it. Pure: it decides from the caller, the
/// action and the child's twin as it is now.
/// <list type="bullet">
/// <item>Coordinators see and change everything, and alone see the audit trail and manage family access.</item>
/// <item>Agency staff see a child only while their service is involved (owns an active blocker or an
/// upcoming appointment), and change only their service's blockers and appointments.</item>
/// <item>A family member sees only their own child's family view (never the professional view), while their
/// membership is active and the 16+ rule allows, and may add notes, flag concerns and say how they get to appointments.</item>
/// <item>External systems act for the services their key is scoped to; registering children and moving
/// stages needs a key that manages journeys (EPR/PAS).</item>
/// <item>Operators run the servers (the Orleans dashboard) and see no child, service or board at all.</item>
/// </list>
/// An unknown child and a child the caller has no relationship with get the same answer, so existence
/// does not leak.
/// </summary>
public static class AccessPolicy
{
    private static readonly AccessDecision NotAuthenticated = AccessDecision.Deny("Not signed in and no valid API key.");

    // Said before anything else is looked at, so no rule added for another role can let an operator in.
    private static readonly AccessDecision NotForOperators = AccessDecision.Deny("Operators run the servers and see no child's record.");

    public static AccessDecision ForChild(
        Caller caller,
        AccessAction action,
        ChildJourney? journey,
        DateTimeOffset now,
        AccessOptions options,
        FamilyMembership? membership = null,
        JourneyCommand? command = null)
    {
        if (caller.Role == CallerRole.Operator) return NotForOperators;
        var registered = journey is { IsRegistered: true };
        if (command is AutoEscalateBlocker) return AccessDecision.Deny("Automatic escalation is only made by CareTwin's escalation ladder.");
        if (command is RegisterChild) return MayRegister(caller, registered);

        return caller.Role switch
        {
            // The family's own account of getting there: staff read it, never write it, and the trail says so.
            CallerRole.Coordinator when command is SetFamilyTravel =>
                AccessDecision.Deny("Only the family says how they get to appointments.", "Only the family can say how they get to appointments."),
            CallerRole.Coordinator => action is AccessAction.ChangeChild or AccessAction.ViewChild or AccessAction.WatchChild
                or AccessAction.ViewFamilyView or AccessAction.WatchFamilyView or AccessAction.ViewAudit or AccessAction.ManageFamilyAccess
                ? AccessDecision.Allow("Coordinators look after every child's journey.")
                : AccessDecision.Deny($"{action} is not an action on a child."),
            CallerRole.Family => ForFamily(caller, action, journey, now, options, membership, command),
            CallerRole.AgencyStaff or CallerRole.ExternalSystem => ForServiceActor(caller, action, journey, command),
            CallerRole.Anonymous => NotAuthenticated,
            _ => AccessDecision.Deny("Unknown role."),
        };
    }

    public static AccessDecision ForService(Caller caller, AccessAction action, ServiceKey service)
    {
        if (caller.Role == CallerRole.Operator) return NotForOperators;
        if (action is not (AccessAction.ViewService or AccessAction.WatchService)) return AccessDecision.Deny($"{action} is not an action on a service.");
        return caller.Role switch
        {
            CallerRole.Anonymous => NotAuthenticated,
            CallerRole.Coordinator => AccessDecision.Allow("Coordinators follow every service."),
            CallerRole.AgencyStaff or CallerRole.ExternalSystem when caller.ActsFor(service) => AccessDecision.Allow($"Acts for {service}."),
            _ => AccessDecision.Deny($"Does not act for {service}."),
        };
    }

    public static AccessDecision ForBoard(Caller caller, AccessAction action, BoardKey board)
    {
        if (caller.Role == CallerRole.Operator) return NotForOperators;
        if (action is not (AccessAction.ViewBoard or AccessAction.WatchBoard)) return AccessDecision.Deny($"{action} is not an action on a board.");
        return caller.Role switch
        {
            CallerRole.Anonymous => NotAuthenticated,
            CallerRole.Coordinator => AccessDecision.Allow("Coordinators watch the boards."),
            CallerRole.ExternalSystem when caller.ManagesJourneys => AccessDecision.Allow("A journey-managing system follows the boards."),
            _ => AccessDecision.Deny($"The {board} board is for coordinators."),
        };
    }

    /// <summary>
    /// A multi-disciplinary team meeting: coordinators open, run and close it and see all of it; agency staff attend
    /// (see its agenda and minutes, never change them) only a meeting for a set of services including theirs, or a
    /// board meeting where their service owns a blocker of a child on the agenda. Families and systems never.
    /// </summary>
    /// <param name="meeting">The meeting as it is now; null when it has not been opened (only a coordinator may open it).</param>
    public static AccessDecision ForMeeting(Caller caller, AccessAction action, Meeting? meeting)
    {
        if (caller.Role == CallerRole.Operator) return NotForOperators;
        if (action is not (AccessAction.RunMeeting or AccessAction.ViewMeeting or AccessAction.WatchMeeting)) return AccessDecision.Deny($"{action} is not an action on a meeting.");
        return caller.Role switch
        {
            CallerRole.Anonymous => NotAuthenticated,
            CallerRole.Coordinator => AccessDecision.Allow("Coordinators run MDT meetings."),
            CallerRole.AgencyStaff when action == AccessAction.RunMeeting =>
                AccessDecision.Deny("Coordinators run MDT meetings.", meeting is not null && Attends(meeting, caller.Services) ? "Only a coordinator can run the meeting." : null),
            CallerRole.AgencyStaff when meeting is not null && Attends(meeting, caller.Services) => AccessDecision.Allow("The meeting covers a service this caller acts for."),
            CallerRole.AgencyStaff => AccessDecision.Deny("The meeting does not cover a service this caller acts for."),
            _ => AccessDecision.Deny("MDT meetings are for coordinators and the agencies they cover."),
        };
    }

    /// <summary>Whether someone acting for these services attends: the meeting is for one of them, or (a board meeting) one owns a blocker on its agenda.</summary>
    public static bool Attends(Meeting meeting, ImmutableArray<string> services) =>
        meeting.Scope.Services.IsDefaultOrEmpty
            ? meeting.Agenda.Any(i => i.Blockers.Any(b => services.Contains(b.OwningService.Value)))
            : meeting.Scope.Services.Any(s => services.Contains(s.Value));

    /// <summary>The meeting as this caller may see it (see the overload for audiences).</summary>
    public static Meeting MeetingAsSeenBy(Caller caller, Meeting meeting) =>
        caller.Role == CallerRole.Coordinator ? meeting : MeetingAsSeenBy(caller.Services, meeting);

    /// <summary>
    /// The meeting as someone acting for these services sees it (default: a coordinator, who sees it all): only the
    /// children their service is involved with (owns a blocker on the agenda, or an action agreed), and, as on the
    /// child's page, never another service's sensitive blocker nor an action about one.
    /// </summary>
    public static Meeting MeetingAsSeenBy(ImmutableArray<string> services, Meeting meeting)
    {
        if (services.IsDefault) return meeting;
        bool Ours(ServiceKey? service) => service is not null && services.Contains(service.Value);
        var hidden = meeting.Agenda.SelectMany(i => i.Blockers).Where(b => b.Sensitive && !Ours(b.OwningService)).Select(b => b.BlockerId)
            .Concat(meeting.Actions.SelectMany(a => a.Recorded.IsDefault ? [] : a.Recorded).OfType<BlockerRaised>().Where(r => r.Sensitive && !Ours(r.OwningService)).Select(r => r.BlockerId))
            .ToHashSet(StringComparer.Ordinal);
        var involved = meeting.Agenda.Where(i => i.Blockers.Any(b => Ours(b.OwningService)) || meeting.Actions.Any(a => a.ChildId == i.ChildId && Ours(a.Owner)))
            .Select(i => i.ChildId).ToHashSet(StringComparer.Ordinal);
        return meeting with
        {
            Agenda = [.. meeting.Agenda.Where(i => involved.Contains(i.ChildId)).Select(i => i with { Blockers = [.. i.Blockers.Where(b => !hidden.Contains(b.BlockerId))] })],
            Actions = [.. meeting.Actions.Where(a => involved.Contains(a.ChildId) && (a.BlockerId is null || !hidden.Contains(a.BlockerId)))],
        };
    }

    private static AccessDecision MayRegister(Caller caller, bool alreadyRegistered) => caller switch
    {
        _ when alreadyRegistered && caller.Role is not (CallerRole.Coordinator or CallerRole.ExternalSystem) =>
            AccessDecision.Deny("Only coordinators and journey-managing systems register children."),
        { Role: CallerRole.Coordinator } => AccessDecision.Allow("Coordinators register children."),
        { Role: CallerRole.ExternalSystem, ManagesJourneys: true } => AccessDecision.Allow("A journey-managing system registers children."),
        _ => AccessDecision.Deny("Only coordinators and journey-managing systems register children."),
    };

    private static AccessDecision ForFamily(
        Caller caller, AccessAction action, ChildJourney? journey, DateTimeOffset now, AccessOptions options, FamilyMembership? membership, JourneyCommand? command)
    {
        if (journey is not { Child: { } child } || caller.ChildId != child.ChildId)
            return AccessDecision.Deny("A family member sees only their own child.");
        if (membership is not { Active: true } || membership.MemberId != caller.Id || membership.ChildId != child.ChildId)
            return AccessDecision.Deny("This family membership is not active (removed, or never joined).");
        if (!membership.YoungPersonConsent && NeedsYoungPersonConsent(child, now, options))
            return AccessDecision.Deny("The young person is 16 or over and has not agreed to family access.");
        return action switch
        {
            AccessAction.ViewFamilyView or AccessAction.WatchFamilyView => AccessDecision.Allow("Their own child's family view."),
            AccessAction.ChangeChild when command is AddFamilyNote or FlagConcern => AccessDecision.Allow("Families tell the team what matters and flag concerns."),
            AccessAction.ChangeChild when command is SetFamilyTravel => AccessDecision.Allow("Families tell us how they get to appointments."),
            AccessAction.ChangeChild => AccessDecision.Deny("Families can add notes and flag concerns, not change the plan."),
            _ => AccessDecision.Deny("Families see the family view, not the professional record."),
        };
    }

    private static AccessDecision ForServiceActor(Caller caller, AccessAction action, ChildJourney? journey, JourneyCommand? command)
    {
        var managesJourneys = caller is { Role: CallerRole.ExternalSystem, ManagesJourneys: true };
        if (journey is not { IsRegistered: true })
            // A system that registers children may learn that one is unknown (NOT_FOUND); to anyone else an unknown
            // child looks like one they have no relationship with.
            return managesJourneys && action is AccessAction.ViewChild or AccessAction.WatchChild or AccessAction.ChangeChild
                ? AccessDecision.Allow("A journey-managing system may ask about any child; the twin answers whether it exists.")
                : AccessDecision.Deny("No relationship with this child.");
        var involved = InvolvedServices(journey).Where(caller.ActsFor).ToList();
        switch (action)
        {
            case AccessAction.ViewChild or AccessAction.WatchChild:
                if (managesJourneys) return AccessDecision.Allow("A journey-managing system sees the journeys it feeds.");
                return involved.Count > 0
                    ? AccessDecision.Allow($"{involved[0]} is involved with this child.")
                    : AccessDecision.Deny("No service this caller acts for is involved with this child.");
            case AccessAction.ChangeChild when command is not null:
                return ForCommand(caller, journey, command, involved.Count > 0 || managesJourneys);
            default:
                return AccessDecision.Deny($"{caller.Role} callers cannot {action}.");
        }
    }

    private static AccessDecision ForCommand(Caller caller, ChildJourney journey, JourneyCommand command, bool related)
    {
        var managesJourneys = caller is { Role: CallerRole.ExternalSystem, ManagesJourneys: true };
        // Refused to someone who may see the record: said as it is, in words they use ("Only the owning service ...").
        AccessDecision ByService(ServiceKey? service, string what, string told) =>
            service is not null && caller.ActsFor(service)
                ? AccessDecision.Allow($"{what} belongs to {service}, which this caller acts for.")
                : AccessDecision.Deny($"{what} belongs to {service?.Value ?? "another service"}, which this caller does not act for.", related ? told : null);
        AccessDecision NotForThisCaller(string reason, string told) => AccessDecision.Deny(reason, related ? told : null);
        // An id the child does not have is NOT_FOUND for a caller who may see the child; a blocker hidden from the
        // caller answers the same, so its existence does not leak. To anyone else it is no relationship.
        AccessDecision Unknown(Refusal answer, string what) => related
            ? AccessDecision.Unknown(answer, $"{what} is not one this caller can see on this child.")
            : AccessDecision.Deny("No relationship with this child.");
        // Named by the caller's own reference: decide on CareTwin's id, but answer in the caller's terms.
        var reference = ExternalReferences.GivenFor(command);
        (command, var unresolved) = ExternalReferences.Resolve(journey, command);
        if (unresolved is not null)
            return Unknown(unresolved, $"The {unresolved.Field} given");
        AccessDecision OnBlocker(string blockerId, string doing) =>
            journey.FindBlocker(blockerId) is { } blocker && !IsHiddenFrom(blocker, caller)
                ? ByService(blocker.OwningService, $"Blocker {blockerId}", $"Only the owning service or a coordinator can {doing}.")
                : Unknown(reference is null ? BlockerLookup.Unknown(blockerId) : ExternalReferences.UnknownBlocker(reference), $"Blocker {blockerId}");

        return command switch
        {
            StartTransition or ChangeStage or CompleteMilestone => managesJourneys
                ? AccessDecision.Allow("A journey-managing system moves the journey.")
                : NotForThisCaller("Only coordinators and journey-managing systems move a journey's stages.", "Only a coordinator can change the stage of a journey."),
            RaiseBlocker raise => related
                ? ByService(ServiceKey.TryParse(raise.OwningService, out var owner) ? owner : null, "The new blocker",
                    "You can raise a blocker only for your own service; a coordinator can raise one for any service.")
                : AccessDecision.Deny("No relationship with this child."),
            UpdateBlockerProgress update => OnBlocker(update.BlockerId, "update this blocker"),
            ResolveBlocker resolve => OnBlocker(resolve.BlockerId, "resolve this blocker"),
            CancelBlocker cancel => OnBlocker(cancel.BlockerId, "cancel this blocker"),
            SetBlockerStartsAfter startsAfter => OnBlocker(startsAfter.BlockerId, "say what this blocker starts after"),
            ReassignBlocker reassign => OnBlocker(reassign.BlockerId, "reassign this blocker"),
            AcknowledgeEscalation acknowledge => OnBlocker(acknowledge.BlockerId, "acknowledge this escalation"),
            EscalateBlocker => NotForThisCaller("Escalating across agencies is for coordinators.", "Only a coordinator can escalate a blocker."),
            // Booking creates a relationship, so it needs one already (or a journey-managing system).
            BookAppointment book => related
                ? ByService(ServiceKey.TryParse(book.Service, out var bookedWith) ? bookedWith : null, "The appointment",
                    "You can book an appointment only with your own service.")
                : AccessDecision.Deny("No relationship with this child."),
            UpdateAppointment update => journey.FindAppointment(update.AppointmentId) is { } appointment
                ? ByService(appointment.Service, $"Appointment {update.AppointmentId}", "Only the service the appointment is with can change it.")
                : Unknown(AppointmentLookup.Unknown(update.AppointmentId), $"Appointment {update.AppointmentId}"),
            AddFamilyNote or FlagConcern => NotForThisCaller("Only the family adds family notes and concerns.", "Only the family can add their notes and concerns."),
            SetFamilyTravel => NotForThisCaller("Only the family says how they get to appointments.", "Only the family can say how they get to appointments."),
            AcknowledgeConcern or AnswerConcern or CloseConcern =>
                NotForThisCaller("Coordinators answer the family's concerns.", "Only a coordinator can answer or close a family's concern."),
            RecordMeetingDecision => NotForThisCaller("The coordinator chairing an MDT records its decisions.", "Only the coordinator chairing the meeting can record its decisions."),
            _ => AccessDecision.Deny($"{command.GetType().Name} is not allowed for {caller.Role} callers."),
        };
    }

    /// <summary>
    /// What a caller may do to one blocker of a child whose record they may see, asked of this policy with the
    /// command each action sends (so pages offer only what the hub would allow, and never decide it themselves),
    /// and only while the action applies (acknowledge: an escalation is waiting; mark in progress: still open).
    /// </summary>
    public static BlockerPermissions ForBlocker(Caller caller, ChildJourney journey, Blocker blocker, DateTimeOffset now, AccessOptions options)
    {
        var origin = new CommandOrigin(caller.ToActor(), "caretwin.policy", "may");
        bool May(JourneyCommand command) => ForChild(caller, AccessAction.ChangeChild, journey, now, options, null, command).Allowed;
        var active = blocker.IsActive;
        return new BlockerPermissions(
            CanMarkInProgress: blocker.Status == BlockerStatus.Open && May(new UpdateBlockerProgress(origin, blocker.Id, BlockerStatus.InProgress)),
            CanResolve: active && May(new ResolveBlocker(origin, blocker.Id)),
            CanReassign: active && May(new ReassignBlocker(origin, blocker.Id, blocker.OwningService.Value, null, "may")),
            CanEscalate: active && blocker.EscalationLevel < ServiceProfile.TopEscalationLevel && May(new EscalateBlocker(origin, blocker.Id, "may")),
            CanAcknowledge: active && blocker.PendingEscalation() is not null && May(new AcknowledgeEscalation(origin, blocker.Id)));
    }

    /// <summary>The services a caller may raise a blocker for on this child (asked of this policy, one by one), and whether they may move its stage.</summary>
    public static ChildPermissions ForChildActions(Caller caller, ChildJourney journey, IEnumerable<ServiceKey> services, DateTimeOffset now, AccessOptions options)
    {
        var origin = new CommandOrigin(caller.ToActor(), "caretwin.policy", "may");
        bool May(JourneyCommand command) => ForChild(caller, AccessAction.ChangeChild, journey, now, options, null, command).Allowed;
        var transition = journey.CurrentTransition();
        var today = UkCalendar.DateOf(now);
        return new ChildPermissions(
            RaiseFor: transition is null ? [] : [.. services.Where(s => May(new RaiseBlocker(origin, transition.Id, BlockerCategory.Other, s.Value, null, "may", null, today))).Select(s => s.Value)],
            CanChangeStage: transition is not null && May(new ChangeStage(origin, transition.Id, transition.Stage)),
            // Reading, answering and closing go together: the policy allows all three or none.
            CanAnswerConcerns: May(new AnswerConcern(origin, "may", "may")));
    }

    /// <summary>
    /// Blockers a professional other than a coordinator may not see: other services' sensitive (safeguarding)
    /// blockers, shared on a need-to-know basis, and the family's concerns about them (by message id: a concern's
    /// later steps name the concern, not the blocker, so hiding follows the concern). Coordinators see them all.
    /// </summary>
    public static ImmutableHashSet<string> HiddenBlockers(Caller caller, ChildJourney journey) =>
        caller.Role == CallerRole.Coordinator ? [] : HiddenBlockers(caller.Services, journey);

    /// <summary>The blockers (and concerns about them) hidden from someone acting for these services (see the overload for callers).</summary>
    public static ImmutableHashSet<string> HiddenBlockers(ImmutableArray<string> services, ChildJourney journey)
    {
        var blockers = journey.Blockers.Where(b => IsHidden(b, services)).Select(b => b.Id).ToImmutableHashSet();
        return blockers.IsEmpty ? blockers : blockers.Union(journey.FamilyMessages.Where(m => m.BlockerId is { } about && blockers.Contains(about)).Select(m => m.Id));
    }

    private static bool IsHiddenFrom(Blocker blocker, Caller caller) =>
        caller.Role != CallerRole.Coordinator && IsHidden(blocker, caller.Services);

    private static bool IsHidden(Blocker blocker, ImmutableArray<string> services) =>
        blocker.Sensitive && !services.Contains(blocker.OwningService.Value);

    /// <summary>The twin without the hidden blockers and the family's concerns about them.</summary>
    public static ChildJourney Redact(ChildJourney journey, ImmutableHashSet<string> hidden) =>
        hidden.IsEmpty ? journey : journey with
        {
            Blockers = [.. journey.Blockers.Where(b => !hidden.Contains(b.Id))],
            FamilyMessages = [.. journey.FamilyMessages.Where(m => !hidden.Contains(m.Id))],
        };

    /// <summary>Whether a journal entry may be shown: not if it is about a hidden blocker, or a step of a concern about one.</summary>
    public static bool Shows(JourneyEvent journeyEvent, ImmutableHashSet<string> hidden) =>
        hidden.IsEmpty || journeyEvent switch
        {
            IBlockerEvent about => !hidden.Contains(about.BlockerId),
            FamilyConcernFlagged flagged => !hidden.Contains(flagged.MessageId),
            ConcernAcknowledged step => !hidden.Contains(step.MessageId),
            ConcernAnswered step => !hidden.Contains(step.MessageId),
            ConcernClosed step => !hidden.Contains(step.MessageId),
            _ => true,
        };

    /// <summary>Whether the child's family sees the journey only with the young person's agreement: 16 or over, and the trust's setting says so.</summary>
    public static bool NeedsYoungPersonConsent(ChildProfile child, DateTimeOffset now, AccessOptions options) =>
        options.FamilyAccessFrom16 == FamilyAccessFrom16.RequiresYoungPersonConsent && AgeOn(child.DateOfBirth, UkCalendar.DateOf(now)) >= 16;

    /// <summary>Whether any of these services is involved with the child (see <see cref="InvolvedServices"/>): what agency staff need to see it.</summary>
    public static bool Involves(ChildJourney journey, ImmutableArray<string> services) =>
        InvolvedServices(journey).Any(s => services.Contains(s.Value));

    /// <summary>Services with an active blocker or an upcoming appointment for this child.</summary>
    public static IEnumerable<ServiceKey> InvolvedServices(ChildJourney journey) =>
        journey.Blockers.Where(b => b.IsActive).Select(b => b.OwningService)
            .Concat(journey.Appointments.Where(a => a.IsUpcomingStatus).Select(a => a.Service))
            .Distinct();

    private static int AgeOn(DateOnly dateOfBirth, DateOnly today)
    {
        var age = today.Year - dateOfBirth.Year;
        return dateOfBirth.AddYears(age) > today ? age - 1 : age;
    }
}

/// <summary>What a caller may do to one blocker (see <see cref="AccessPolicy.ForBlocker"/>).</summary>
public sealed record BlockerPermissions(bool CanMarkInProgress, bool CanResolve, bool CanReassign, bool CanEscalate, bool CanAcknowledge);

/// <summary>What a caller may do on a child's record besides its blockers (see <see cref="AccessPolicy.ForChildActions"/>).</summary>
/// <param name="RaiseFor">The keys of the services they may raise a blocker for (empty: they may raise none).</param>
/// <param name="CanAnswerConcerns">May mark the family's concerns as read, answer and close them.</param>
public sealed record ChildPermissions(ImmutableArray<string> RaiseFor, bool CanChangeStage, bool CanAnswerConcerns = false);
