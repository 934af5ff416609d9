using CareTwin.Grains.Boards;
using CareTwin.Grains.Children;
using CareTwin.Grains.Publishing;
using CareTwin.Grains.Services;
using CareTwin.Journey.Children;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Meetings;

namespace CareTwin.Grains.Meetings;

/// <summary>Where a meeting is kept: the meeting itself is the record (there is no journal behind it).</summary>
public sealed class MeetingState
{
    public Meeting? Meeting { get; set; }
}

/// <summary>
/// A thin shell around <see cref="MeetingRules"/>: reads the twins the rules need, keeps the meeting, publishes
/// each change. Every change is written before it is answered (a meeting's record is not derived from anything
/// else, unlike boards). Calls are taken one at a time, so a meeting cannot close while an action is being agreed.
/// </summary>
[GrainType("meeting")]
public sealed class MeetingGrain([PersistentState("meeting")] IPersistentState<MeetingState> storage, TimeProvider clock) : Grain, IMeetingGrain
{
    private string MeetingId => this.GetPrimaryKeyString();

    private Meeting? Current => storage.State.Meeting;

    public async Task<MeetingChange> Open(OpenMeeting command)
    {
        var directory = await Directory();
        if (MeetingRules.CheckOpen(Current, MeetingId, command, directory) is { } refusal)
            return refusal;
        if (!BoardKey.TryParse(command.Board.Trim(), out var board))
            return Refusal.Invalid("board", "Choose a hospital or region board for the meeting.");
        var rows = (await GrainFactory.GetGrain<IBoardGrain>(board.ToString()).GetSnapshot()).Summary.Rows.Values;
        // Each child's twin now, not the board's copy: the agenda lists their blockers, which the board does not hold.
        var journeys = await Task.WhenAll(MeetingAgenda.Candidates(rows, MeetingRules.ScopeOf(command))
            .Select(row => GrainFactory.GetGrain<IChildGrain>(row.ChildId).GetJourney()));
        var now = clock.GetUtcNow();
        return await Keep(MeetingRules.Open(Current, MeetingId, command, MeetingAgenda.Build(journeys.OfType<ChildJourney>(), now),
            new DecisionContext(now, directory)), withAction: false);
    }

    public async Task<MeetingChange> AddAttendee(AddAttendee command) =>
        await Keep(MeetingRules.AddAttendee(Current, command, await Directory()), withAction: false);

    public Task<MeetingChange> MoveAgendaItem(MoveAgendaItem command) => Keep(MeetingRules.MoveAgendaItem(Current, command), withAction: false);

    public async Task<MeetingChange> AddChild(AddChildToAgenda command)
    {
        if (MeetingRules.CheckAddChild(Current, command) is { } refusal)
            return refusal;
        var journey = await GrainFactory.GetGrain<IChildGrain>(command.ChildId).GetJourney();
        var item = journey is null ? null : MeetingAgenda.Item(journey, clock.GetUtcNow(), addedDuringMeeting: true);
        return await Keep(MeetingRules.AddChild(Current, command, item), withAction: false);
    }

    public async Task<MeetingActionOutcome> CaptureAction(CaptureAction command)
    {
        var (sent, refusal) = MeetingRules.PrepareAction(Current, command);
        if (refusal is not null)
            return new MeetingActionOutcome(OutcomeKind.Refused, refusal, null, Current);
        var child = GrainFactory.GetGrain<IChildGrain>(command.ChildId);
        var outcome = await child.Execute(sent!);
        if (outcome.Kind != OutcomeKind.Accepted)
            return new MeetingActionOutcome(outcome.Kind, outcome.Refusal, null, Current);
        var after = await child.GetJourney() ?? throw new InvalidOperationException($"Child '{command.ChildId}' accepted an action but has no journey.");
        var change = await Keep(MeetingRules.RecordAction(Current, command.ChildId, sent!, outcome.Events, after, clock.GetUtcNow()), withAction: true);
        return change.Refusal is { } notRecorded
            ? new MeetingActionOutcome(OutcomeKind.Refused, notRecorded, null, Current)
            : new MeetingActionOutcome(OutcomeKind.Accepted, null, change.Meeting!.Actions[^1], change.Meeting);
    }

    public Task<MeetingChange> Close(CloseMeeting command) => Keep(MeetingRules.Close(Current, command, clock.GetUtcNow()), withAction: false);

    public Task<Meeting?> GetMeeting() => Task.FromResult(Current);

    /// <summary>Writes an accepted change, then tells those watching; a refusal changes nothing.</summary>
    /// <param name="withAction">The change recorded an action (the meeting's last), which the watchers are sent with it.</param>
    private async Task<MeetingChange> Keep(MeetingChange change, bool withAction)
    {
        if (change.Meeting is not { } meeting)
            return change;
        var before = storage.State.Meeting;
        storage.State.Meeting = meeting;
        try
        {
            await storage.WriteStateAsync();
        }
        catch
        {
            storage.State.Meeting = before;
            throw;
        }
        // The service given the action finds the meeting from its own view.
        var streams = this.GetStreamProvider(JourneyStreams.ProviderName);
        if (withAction && meeting.Actions[^1].Owner is { } owner)
        {
            await GrainFactory.GetGrain<IServiceMeetingsGrain>(owner.Value).Note(MeetingId);
            await streams.ServiceMeetingsStream(owner).PublishAsync(new ServiceActionAgreed(owner.Value, MeetingId));
        }
        await streams.MeetingStream(MeetingId).PublishAsync(new MeetingChanged(MeetingId, meeting, withAction ? meeting.Actions[^1] : null));
        return change;
    }

    private async Task<Journey.Services.IServiceDirectory> Directory() =>
        await GrainFactory.GetGrain<IServiceDirectoryGrain>(IServiceDirectoryGrain.DefaultKey).GetDirectory();
}
