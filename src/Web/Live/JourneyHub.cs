using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Text.Json;
using CareTwin.Grains.Access;
using CareTwin.Grains.Boards;
using CareTwin.Grains.Children;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Children;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Family;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Projections;
using CareTwin.Journey.Services;
using CareTwin.Journey.Validation;
using CareTwin.Grains.Services;
using CareTwin.Web.Hosting;
using CareTwin.Web.SignIn;
using CareTwin.Web.Views;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace CareTwin.Web.Live;

/// <summary>
/// The pages' one hub. Every call asks the access gate first (the policy gRPC uses too, and the gate writes the
/// audit entry, allowed or denied); a "Watch" call joins the topic's group before reading, so nothing that
/// changes in between is missed. Actions run through the child's twin with the signed-in user as the journal's
/// actor; a refusal comes back as a hub error "field: message".
/// </summary>
[Authorize]
public sealed class JourneyHub(
    AccessGate gate,
    IGrainFactory grains,
    LiveBridge bridge,
    ChildRecordReader records,
    IOptions<WebOptions> options,
    IOptions<AccessOptions> accessOptions,
    TimeProvider clock) : Hub
{
    public const string Path = "/hubs/journey";
    public const string SourceSystem = "caretwin.web";

    private const string NoAccess = "You do not have access to this record.";

    private Caller Caller => CallerClaims.TryGetCaller(Context.User, out var caller) ? caller : throw new HubException("Sign in again: this session is not valid.");

    private AccessChannel Channel =>
        new("hub", Context.GetHttpContext()?.Connection is { RemoteIpAddress: { } ip } connection ? $"{ip}:{connection.RemotePort}" : null);

    public async Task<BoardView> WatchBoard(JsonElement boardKey)
    {
        if (!BoardKey.TryParse(HubArguments.Text(boardKey, "boardKey"), out var key)) throw ActionCommands.Refused("boardKey", "boardKey must be like 'region:north-thames' or 'hospital:royal-thamesbank'.");
        Require(await gate.ForBoardAsync(Caller, AccessAction.WatchBoard, key, Channel));
        await WatchAsync(LiveTopic.Board(key.ToString()));
        var snapshot = await grains.GetGrain<IBoardGrain>(key.ToString()).GetSnapshot();
        var directory = await grains.GetGrain<IServiceDirectoryGrain>(IServiceDirectoryGrain.DefaultKey).GetDirectory();
        return BoardView.Of(snapshot, directory, options.Value);
    }

    public async Task<ChildRecord> WatchChild(JsonElement childId)
    {
        var id = ChildIdOf(childId);
        var access = await gate.ForChildAsync(Caller, AccessAction.WatchChild, id, Channel);
        Require(access.Decision);
        if (access.Journey is not { IsRegistered: true }) throw NotFound();
        var topic = LiveTopic.Child(id, Caller);
        await WatchAsync(topic);
        return await records.ReadAsync(id, topic.Audience) ?? throw NotFound();
    }

    public async Task<Pages.FamilyLiveView> WatchFamily(JsonElement childId)
    {
        var id = ChildIdOf(childId);
        var access = await gate.ForChildAsync(Caller, AccessAction.WatchFamilyView, id, Channel);
        Require(access.Decision);
        if (access.Journey is not { IsRegistered: true }) throw NotFound();
        await WatchAsync(LiveTopic.Family(id));
        return Pages.FamilyPage.Live(await grains.GetGrain<IChildGrain>(id).GetFamilyView() ?? throw NotFound());
    }

    /// <summary>
    /// Older messages of the family view, a page at a time, newest first: up to <paramref name="count"/> (at most
    /// <see cref="FamilyMessagePages.LargestPage"/>) sent before the message <paramref name="before"/> (from the newest when
    /// null). The view itself carries only the latest <see cref="FamilyMessagePages.Latest"/>. Asked of the gate and
    /// audited like the view.
    /// </summary>
    public async Task<FamilyMessagesPage> GetFamilyMessages(JsonElement childId, JsonElement before, JsonElement count)
    {
        var id = ChildIdOf(childId);
        var (from, size) = (HubArguments.Text(before, "before"), HubArguments.Whole(count, "count"));
        var journey = await RequireChildAsync(id, AccessAction.ViewFamilyView, nameof(GetFamilyMessages));
        var (page, refusal) = FamilyViewProjection.Messages(journey, from, size);
        return page ?? throw ActionCommands.Refused(refusal!.Field, refusal.Message);
    }

    /// <summary>
    /// Older family messages on the child page, as <see cref="GetFamilyMessages"/> for the family view: staff who may
    /// see the record, never a concern about a blocker hidden from them.
    /// </summary>
    public async Task<FamilyMessageLinesPage> GetChildFamilyMessages(JsonElement childId, JsonElement before, JsonElement count)
    {
        var id = ChildIdOf(childId);
        var (from, size) = (HubArguments.Text(before, "before"), HubArguments.Whole(count, "count"));
        var access = await gate.ForChildAsync(Caller, AccessAction.ViewChild, id, Channel, detail: nameof(GetChildFamilyMessages));
        Require(access.Decision);
        if (access.Journey is not { IsRegistered: true } journey) throw NotFound();
        var (page, refusal) = FamilyMessagePages.Before(ChildRecordReader.VisibleFamilyMessages(journey, access.HiddenBlockers), from, size);
        return page is null
            ? throw ActionCommands.Refused(refusal!.Field, refusal.Message)
            : new FamilyMessageLinesPage([.. page.Messages.Select(ChildRecordReader.Line)], page.Older);
    }

    public async Task<ServiceView> WatchService(JsonElement serviceKey)
    {
        if (!ServiceKey.TryParse(HubArguments.Text(serviceKey, "serviceKey"), out var key)) throw ActionCommands.Refused("serviceKey", $"serviceKey must be {ServiceKey.FormatDescription}.");
        Require(await gate.ForServiceAsync(Caller, AccessAction.WatchService, key, Channel));
        await WatchAsync(LiveTopic.Service(key.Value));
        return await ServiceViewReader.ReadAsync(grains, key);
    }

    /// <summary>"Who has viewed this record": the newest entries of the child's audit trail (coordinators).</summary>
    public async Task<IReadOnlyList<AccessLogLine>> GetAccessLog(JsonElement childId)
    {
        var id = ChildIdOf(childId);
        await RequireChildAsync(id, AccessAction.ViewAudit);
        var page = await grains.GetGrain<IAuditGrain>($"child/{id}").GetRecent(30);
        return [.. page.Entries.Select(AccessLogWording.Line)];
    }

    public async Task<FamilyAccessView> GetFamilyAccess(JsonElement childId)
    {
        var id = ChildIdOf(childId);
        return await FamilyAccessOfAsync(id, await RequireChildAsync(id, AccessAction.ManageFamilyAccess, nameof(GetFamilyAccess)));
    }

    /// <summary>A new single-use invite code for the child's family; the code is shown once, only its hash is kept.</summary>
    public async Task<IssuedInvite> IssueInvite(JsonElement childId)
    {
        var id = ChildIdOf(childId);
        await RequireChildAsync(id, AccessAction.ManageFamilyAccess, nameof(IssueInvite));
        return await grains.GetGrain<IFamilyAccessGrain>(id).IssueInvite(Caller.DisplayName, options.Value.InviteValidFor);
    }

    public async Task<bool> RevokeInvite(JsonElement childId, JsonElement inviteId)
    {
        var id = ChildIdOf(childId);
        var invite = HubArguments.Text(inviteId, "inviteId") ?? "";
        await RequireChildAsync(id, AccessAction.ManageFamilyAccess, $"{nameof(RevokeInvite)} {invite}");
        return await grains.GetGrain<IFamilyAccessGrain>(id).RevokeInvite(invite, Caller.DisplayName);
    }

    /// <summary>Removes a family member: their next request is refused by the gate, and their open pages stop now.</summary>
    public async Task<bool> RemoveFamilyMember(JsonElement childId, JsonElement memberId)
    {
        var id = ChildIdOf(childId);
        var member = HubArguments.Text(memberId, "memberId") ?? "";
        await RequireChildAsync(id, AccessAction.ManageFamilyAccess, $"{nameof(RemoveFamilyMember)} {member}");
        if (!await grains.GetGrain<IFamilyAccessGrain>(id).RemoveMember(member, Caller.DisplayName)) return false;
        await EndLiveAccessAsync(member);
        return true;
    }

    /// <summary>
    /// Records that a young person (16+) has agreed their family may see their journey, or has withdrawn that
    /// agreement. When a withdrawal ends the family's access, their open pages stop now, as on removal.
    /// </summary>
    public async Task<FamilyAccessView> RecordYoungPersonConsent(JsonElement childId, JsonElement agreed)
    {
        var id = ChildIdOf(childId);
        var consent = HubArguments.Flag(agreed, "agreed");
        var journey = await RequireChildAsync(id, AccessAction.ManageFamilyAccess, consent ? "RecordYoungPersonConsent" : "WithdrawYoungPersonConsent");
        await grains.GetGrain<IFamilyAccessGrain>(id).RecordYoungPersonConsent(consent, Caller.DisplayName);
        var view = await FamilyAccessOfAsync(id, journey);
        if (!consent && view.ConsentNeeded)
            foreach (var member in view.Overview.Members.Where(m => m.Active)) await EndLiveAccessAsync(member.MemberId);
        return view;
    }

    public Task<ActionDone> RaiseBlocker(JsonElement childId, JsonElement input) => RunAsync<RaiseBlockerInput>(childId, input, ActionCommands.Raise);

    public Task<ActionDone> UpdateBlockerProgress(JsonElement childId, JsonElement input) => RunAsync<BlockerProgressInput>(childId, input, ActionCommands.Progress);

    public Task<ActionDone> ResolveBlocker(JsonElement childId, JsonElement input) => RunAsync<ResolveBlockerInput>(childId, input, ActionCommands.Resolve);

    public Task<ActionDone> ReassignBlocker(JsonElement childId, JsonElement input) => RunAsync<ReassignBlockerInput>(childId, input, ActionCommands.Reassign);

    public Task<ActionDone> SetBlockerStartsAfter(JsonElement childId, JsonElement input) => RunAsync<BlockerStartsAfterInput>(childId, input, ActionCommands.StartsAfter);

    public Task<ActionDone> EscalateBlocker(JsonElement childId, JsonElement input) => RunAsync<EscalateBlockerInput>(childId, input, ActionCommands.Escalate);

    public Task<ActionDone> AcknowledgeEscalation(JsonElement childId, JsonElement input) => RunAsync<AcknowledgeEscalationInput>(childId, input, ActionCommands.Acknowledge);

    public Task<ActionDone> ChangeStage(JsonElement childId, JsonElement input) => RunAsync<ChangeStageInput>(childId, input, ActionCommands.ChangeStage);

    public Task<ActionDone> AddFamilyNote(JsonElement childId, JsonElement input) => RunAsync<FamilyMessageInput>(childId, input, ActionCommands.FamilyNote);

    public Task<ActionDone> FlagConcern(JsonElement childId, JsonElement input) => RunAsync<FamilyMessageInput>(childId, input, ActionCommands.Concern);

    /// <summary>The team has read a family's concern: the family sees "Read by the team".</summary>
    public Task<ActionDone> AcknowledgeConcern(JsonElement childId, JsonElement input) => RunAsync<ConcernInput>(childId, input, ActionCommands.ReadConcern);

    public Task<ActionDone> AnswerConcern(JsonElement childId, JsonElement input) => RunAsync<ConcernAnswerInput>(childId, input, ActionCommands.AnswerConcern);

    public Task<ActionDone> CloseConcern(JsonElement childId, JsonElement input) => RunAsync<ConcernInput>(childId, input, ActionCommands.CloseConcern);

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        await bridge.LeaveAsync(Context.ConnectionId);
        await base.OnDisconnectedAsync(exception);
    }

    /// <summary>Runs a page's action; a refusal about one of its form's fields is said in that form's words (<see cref="FormWords"/>).</summary>
    private async Task<ActionDone> RunAsync<TInput>(JsonElement childId, JsonElement fields, Func<CommandOrigin, TInput, JourneyCommand> command,
        [CallerMemberName] string action = "")
        where TInput : class, IActionInput
    {
        try
        {
            return await RunCommandAsync(childId, fields, command);
        }
        catch (HubException refused) when (ActionCommands.FieldOf(refused) is var (field, message))
        {
            throw ActionCommands.Refused(field, FormWords.Say(action, field, message));
        }
    }

    private async Task<ActionDone> RunCommandAsync<TInput>(JsonElement childId, JsonElement fields, Func<CommandOrigin, TInput, JourneyCommand> command)
        where TInput : class, IActionInput
    {
        var id = ChildIdOf(childId);
        var input = HubArguments.Input<TInput>(fields);
        var caller = Caller;
        var journeyCommand = command(new CommandOrigin(caller.ToActor(), SourceSystem, ExternalIdOf(caller, input.RequestId)), input);
        var access = await gate.ForChildAsync(caller, AccessAction.ChangeChild, id, Channel, journeyCommand);
        Require(access.Decision);
        if (access.Journey is not { IsRegistered: true }) throw NotFound();
        var outcome = await grains.GetGrain<IChildGrain>(id).Execute(journeyCommand);
        return outcome switch
        {
            { Kind: OutcomeKind.Refused, Refusal: { } refusal } => throw ActionCommands.Refused(refusal.Field, refusal.Message),
            { Kind: OutcomeKind.Duplicate } => new ActionDone(outcome.Version, null, true),
            _ => new ActionDone(outcome.Version, CreatedIdOf(outcome.Events), false),
        };
    }

    private async Task<ChildJourney> RequireChildAsync(string id, AccessAction action, string? detail = null)
    {
        var access = await gate.ForChildAsync(Caller, action, id, Channel, detail: detail);
        Require(access.Decision);
        return access.Journey is { IsRegistered: true } journey ? journey : throw NotFound();
    }

    private async Task<FamilyAccessView> FamilyAccessOfAsync(string childId, ChildJourney journey) => new(
        await grains.GetGrain<IFamilyAccessGrain>(childId).GetOverview(),
        AccessPolicy.NeedsYoungPersonConsent(journey.Child!, clock.GetUtcNow(), accessOptions.Value));

    /// <summary>Stops every live view a user has open, and tells their pages their access has ended.</summary>
    private async Task EndLiveAccessAsync(string userId)
    {
        foreach (var connection in await bridge.ConnectionsOfAsync(userId))
        {
            foreach (var group in await bridge.LeaveAsync(connection)) await Groups.RemoveFromGroupAsync(connection, group);
            await Clients.Client(connection).SendAsync(LiveMessages.AccessEnded);
        }
    }

    private async Task WatchAsync(LiveTopic topic)
    {
        try
        {
            if (await bridge.JoinAsync(Context.ConnectionId, new LiveWatcher(Caller, Context.User!, Channel), topic)) await Groups.AddToGroupAsync(Context.ConnectionId, topic.Group);
        }
        catch (LiveLimitException limit)
        {
            throw new HubException(limit.Message);
        }
    }

    private static string ChildIdOf(JsonElement childId)
    {
        var id = HubArguments.Text(childId, "childId");
        return KeyRules.Identifier(id, "childId") is { } refusal ? throw ActionCommands.Refused(refusal.Field, refusal.Message) : id!;
    }

    private static string ExternalIdOf(Caller caller, string? requestId)
    {
        if (requestId is null) return ActionCommands.ExternalIdOf(caller, Guid.NewGuid().ToString("N"));
        return KeyRules.Identifier(requestId, "requestId") is { } refusal ? throw ActionCommands.Refused(refusal.Field, refusal.Message) : ActionCommands.ExternalIdOf(caller, requestId);
    }

    private static string? CreatedIdOf(IEnumerable<JourneyEvent> events) => events.Select(e => e switch
    {
        BlockerRaised raised => raised.BlockerId,
        FamilyNoteAdded note => note.MessageId,
        FamilyConcernFlagged concern => concern.MessageId,
        _ => null,
    }).FirstOrDefault(id => id is not null);


    private static void Require(AccessDecision decision)
    {
        if (decision.AnswerAsUnknown is { } unknown) throw ActionCommands.Refused(unknown.Field, unknown.Message);
        // Someone who may see the record but not do this is told what is true ("Only a coordinator can escalate a blocker.").
        if (!decision.Allowed) throw new HubException(decision.Told ?? NoAccess);
    }

    private static HubException NotFound() => ActionCommands.Refused("childId", "No child has this id.");

    // ---- MDT meetings ----

    /// <summary>The meeting's live part as this caller may see it (HTML the page swaps in), kept current over the meeting's group.</summary>
    public async Task<MeetingLiveView> WatchMeeting(JsonElement meetingId)
    {
        var id = HubArguments.Text(meetingId, "meetingId");
        if (KeyRules.Identifier(id, "meetingId") is { } refusal) throw ActionCommands.Refused(refusal.Field, refusal.Message);
        var caller = Caller;
        var access = await gate.ForMeetingAsync(caller, AccessAction.WatchMeeting, id!, Channel);
        Require(access.Decision);
        if (access.Meeting is null) throw ActionCommands.Refused("meetingId", "This meeting has not been opened.");
        var topic = LiveTopic.Meeting(id!, caller);
        await WatchAsync(topic);
        var meeting = await grains.GetGrain<Grains.Meetings.IMeetingGrain>(id!).GetMeeting();
        return await MeetingChangeShaper.View(grains, topic.Audience, meeting!) ?? throw new HubException(NoAccess);
    }

    /// <summary>The actions MDT meetings gave a service, as its agency view lists them (HTML the page swaps in), kept current.</summary>
    public async Task<ServiceMeetingsLiveView> WatchServiceMeetings(JsonElement serviceKey)
    {
        if (!ServiceKey.TryParse(HubArguments.Text(serviceKey, "serviceKey"), out var key)) throw ActionCommands.Refused("serviceKey", $"serviceKey must be {ServiceKey.FormatDescription}.");
        var caller = Caller;
        Require(await gate.ForServiceAsync(caller, AccessAction.WatchService, key, Channel));
        var topic = LiveTopic.ServiceMeetings(key.Value, caller);
        await WatchAsync(topic);
        return new ServiceMeetingsLiveView(await Pages.MeetingPages.AgencyActionsHtmlAsync(grains, key, topic.Audience));
    }
}
