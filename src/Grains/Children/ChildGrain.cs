using System.Collections.Immutable;
using CareTwin.Grains.Access;
using CareTwin.Grains.Boards;
using CareTwin.Grains.Cluster;
using CareTwin.Grains.Forecasts;
using CareTwin.Grains.Persistence;
using CareTwin.Journey.Children;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Delays;
using CareTwin.Journey.Demo;
using CareTwin.Journey.Escalations;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Projections;
using CareTwin.Journey.Serialization;
using CareTwin.Journey.Services;
using CareTwin.Journey.Validation;
using CareTwin.Grains.Publishing;
using CareTwin.Grains.Services;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace CareTwin.Grains.Children;

/// <summary>
/// A child's twin, a thin shell around the journey model: its state is the fold of its journal; a command is
/// decided by <see cref="JourneyDecider"/> against a working copy, the accepted events are appended in one
/// conditional write (<see cref="JournaledTwin{TState,TEvent}.CommitAsync"/>), then the change is published
/// and the derived views (boards, service twins) are brought up to date. Those views ignore what they already
/// hold (by the child's version), and the child re-sends its rows whenever it activates, so a lost update heals.
/// </summary>
/// <param name="limits">The trust's per-child daily caps (configuration section "Journey"; the model's defaults when not set).</param>
/// <param name="access">The trust's access settings, for the changes of a batch (configuration section "Access").</param>
[GrainType("child")]
public sealed class ChildGrain(JournalStore journal, TimeProvider clock, IOptions<JourneyLimits>? limits = null, ILogger<ChildGrain>? logger = null,
    IOptions<AccessOptions>? access = null)
    : JournaledTwin<ChildTwinState, JourneyEvent>(journal), IChildGrain, IChildHistoryImport, IRemindable
{
    public const string JourneyClockReminder = "journey-clock";
    public const int MaxTimelinePage = 200;

    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;
    private readonly JourneyLimits _limits = limits?.Value ?? JourneyLimits.Default;
    private readonly AccessOptions _access = access?.Value ?? new AccessOptions();
    // Profiles change rarely: a minute's lag after a service is registered costs less than a call per command. A
    // forecast a few minutes behind the latest resolution is still a forecast.
    private RefreshedRead<ServiceDirectorySnapshot>? _directory;
    private RefreshedRead<LeadTimes>? _leadTimes;
    private DateTimeOffset? _wakeAt;
    private bool _wakeKnown;

    // What the current command sequence has decided but not yet written: history imports and the escalation
    // loop decide several commands against it before one commit.
    private ChildJourney? _working;
    private readonly List<JourneyEvent> _pending = [];

    private ChildJourney Journey => _working ?? State.Journey;

    private string ChildId => this.GetPrimaryKeyString();

    protected override void TransitionState(ChildTwinState state, JourneyEvent @event) =>
        state.Journey = JourneyFold.Apply(state.Journey, @event);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await base.OnActivateAsync(cancellationToken);
        if (!Journey.IsRegistered)
            return;
        await Propagate(Journey, [], Journey.Blockers.SelectMany(b => b.Ownerships).Select(o => o.Service), teachAll: true);
        await KeepJourneyClock(triedAt: null);
    }

    public async Task<CommandOutcome> Execute(JourneyCommand command)
    {
        var before = Journey;
        var outcome = await DecideAndRaise(command, clock.GetUtcNow());
        if (outcome.Kind == OutcomeKind.Accepted)
            await Commit(before, triedAt: null);
        ForgetIfUnknown();
        return outcome;
    }

    public async Task<ImmutableArray<BatchItemResult>> ExecuteBatch(ChangeBatch batch)
    {
        if (!ChangeBatch.Takes(batch.Caller))
            throw new ArgumentException($"A {batch.Caller.Role} caller's changes go one by one through the access gate.", nameof(batch));
        var before = Journey;
        var now = clock.GetUtcNow();
        var subject = AuditEntry.ChildSubject(ChildId);
        var commands = batch.Commands.IsDefault ? [] : batch.Commands;
        var results = ImmutableArray.CreateBuilder<BatchItemResult>(commands.Length);
        var entries = ImmutableArray.CreateBuilder<AuditEntry>(commands.Length);
        try
        {
            foreach (var command in commands)
            {
                // As the gate decides a single change (it reads the twin as a registered child or none), but against
                // the journey as the changes before this one left it.
                var decision = AccessPolicy.ForChild(batch.Caller, AccessAction.ChangeChild, Journey.IsRegistered ? Journey : null, now, _access, membership: null, command);
                entries.Add(AuditEntry.Of(now, batch.Caller, subject, AccessAction.ChangeChild, command?.GetType().Name, decision, batch.Channel));
                results.Add(new BatchItemResult(decision, decision.Allowed ? await DecideAndRaise(command, now) : null));
            }
            // Every decision is durable in the trail before anything is recorded or answered.
            await GrainFactory.GetGrain<IAuditGrain>(subject).RecordAll(entries.MoveToImmutable());
        }
        catch
        {
            // Nothing decided here is kept when the trail could not take it.
            _pending.Clear();
            _working = null;
            throw;
        }
        if (_pending.Count > 0)
            await Commit(before, triedAt: null);
        ForgetIfUnknown();
        return results.MoveToImmutable();
    }

    public async Task<HistoryImportOutcome> ImportHistory(ImmutableArray<TimedCommand> history)
    {
        var before = Journey;
        var now = clock.GetUtcNow();
        int accepted = 0, duplicates = 0;
        var commands = history.IsDefault ? [] : history;
        for (var i = 0; i < commands.Length; i++)
        {
            var outcome = commands[i] switch
            {
                null => CommandOutcome.Refused(Journey.Version, Refusal.Invalid($"history[{i}]", $"history[{i}] is required.")),
                { At: var at } when at > now => CommandOutcome.Refused(Journey.Version, Refusal.Invalid($"history[{i}].at", $"history[{i}].at is in the future.")),
                var timed => await DecideAndRaise(timed.Command, timed.At),
            };
            if (outcome.Kind == OutcomeKind.Refused)
            {
                await CommitIfAny(before, accepted);
                ForgetIfUnknown();
                return new HistoryImportOutcome(ChildId, Journey.Version, accepted, duplicates, i, outcome.Refusal);
            }
            if (outcome.Kind == OutcomeKind.Accepted)
                accepted++;
            else
                duplicates++;
        }
        await CommitIfAny(before, accepted);
        return new HistoryImportOutcome(ChildId, Journey.Version, accepted, duplicates, null, null);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != JourneyClockReminder)
            return;
        var now = clock.GetUtcNow();
        if (!Journey.IsRegistered)
        {
            await KeepJourneyClock(triedAt: now);
            ForgetIfUnknown();
            return;
        }
        var before = Journey;
        foreach (var command in EscalationSchedule.DueCommands(Journey, now))
        {
            var outcome = await DecideAndRaise(command, now);
            if (outcome.Refusal is { } refusal)
                _logger.LogWarning("Child {ChildId}: automatic escalation of {BlockerId} was refused: {Message}", ChildId, command.BlockerId, refusal.Message);
        }
        if (_pending.Count > 0)
        {
            await Commit(before, triedAt: now);
            return;
        }
        // Nothing escalated: a new day, so the board rows move on (days delayed, SLA breaches).
        await KeepJourneyClock(triedAt: now);
        await Propagate(Journey, [], []);
    }

    public Task<ChildJourney?> GetJourney() => Task.FromResult(Known(journey => journey));

    public async Task<FamilyView?> GetFamilyView() =>
        Known(journey => journey) is { } journey ? FamilyViewProjection.Build(journey, await Directory(), clock.GetUtcNow(), await LeadTimes()) : null;

    public async Task<BoardRow?> GetBoardRow() =>
        Known(journey => journey) is { } journey ? BoardRowProjection.Build(journey, clock.GetUtcNow(), await LeadTimes()) : null;

    public Task<ReadyDatePrediction?> GetPrediction() =>
        Task.FromResult(Known(journey => journey.CurrentTransition() is { } current ? CriticalPath.Predict(journey, current, clock.GetUtcNow()) : null));

    public async Task<ReadyForecast?> GetForecast() =>
        Known(journey => journey) is { } journey && journey.CurrentTransition() is { } current
            ? ReadyForecaster.Forecast(journey, current, clock.GetUtcNow(), await LeadTimes())
            : null;

    public async Task<TimelinePage?> GetTimeline(long afterVersion, int limit)
    {
        if (Known(journey => journey) is null)
            return null;
        ArgumentOutOfRangeException.ThrowIfNegative(afterVersion);
        if (limit is < 1 or > MaxTimelinePage)
            throw new ArgumentOutOfRangeException(nameof(limit), limit, $"limit must be between 1 and {MaxTimelinePage}.");
        var version = Version;
        var from = (int)Math.Min(afterVersion, version);
        var to = (int)Math.Min(from + (long)limit, version);
        var events = await Journal.ReadAsync<JourneyEvent>(StoreKey, from, to);
        return new TimelinePage(ChildId, version, [.. events.Select((e, i) => TimelineEntry.Of(from + i + 1, e))], to < version ? to : null);
    }

    /// <summary>Decides a command as of <paramref name="at"/> and keeps what was accepted (not yet durable).</summary>
    private async Task<CommandOutcome> DecideAndRaise(JourneyCommand? command, DateTimeOffset at)
    {
        if (command is null)
            return CommandOutcome.Refused(Journey.Version, Refusal.Invalid("command", "command is required."));
        // The grain key is the child id, so a registration must name the twin it was sent to.
        if (command is RegisterChild { ChildId: { } childId } && childId != ChildId)
            return CommandOutcome.Refused(Journey.Version, Refusal.Invalid("childId", "childId is not the id of the child this was sent to."));
        switch (JourneyDecider.Decide(Journey, command, new DecisionContext(at, await Directory()) { Limits = _limits }))
        {
            case Decision.Accepted accepted:
                _working = accepted.Events.Aggregate(Journey, JourneyFold.Apply);
                _pending.AddRange(accepted.Events);
                return CommandOutcome.Accepted(Journey.Version, accepted.Events);
            case Decision.Duplicate duplicate:
                return CommandOutcome.Duplicate(Journey.Version, Journey.CreatedBy(duplicate.SourceSystem, duplicate.ExternalId));
            case Decision.Refused refused:
                return CommandOutcome.Refused(Journey.Version, refused.Refusal);
            case var other:
                throw new InvalidOperationException($"Unknown decision {other.GetType().Name}.");
        }
    }

    private Task CommitIfAny(ChildJourney before, int accepted) => accepted > 0 ? Commit(before, triedAt: null) : Task.CompletedTask;

    /// <summary>Makes the decided events durable, then publishes them and updates what derives from them.</summary>
    private async Task Commit(ChildJourney before, DateTimeOffset? triedAt)
    {
        var recorded = _pending.ToImmutableArray();
        _pending.Clear();
        _working = null;
        await CommitAsync(recorded);
        // The next wake is durable before anyone hears of the change, so whoever acts on it finds the clock set.
        await KeepJourneyClock(triedAt);
        await Propagate(before, recorded, recorded.SelectMany(e => ServiceLedgerProjection.ServicesConcerned(Journey, e)));
    }

    /// <summary>
    /// Publishes what was recorded and brings the boards and the given services' ledgers up to date. Everything
    /// here derives from the durable journal, so a failure is logged, not returned: it heals on the next change
    /// or activation.
    /// </summary>
    private async Task Propagate(ChildJourney before, ImmutableArray<JourneyEvent> recorded, IEnumerable<ServiceKey> services, bool teachAll = false)
    {
        try
        {
            var fanOut = new ChildFanOut(GrainFactory, this.GetStreamProvider(JourneyStreams.ProviderName), ChildId);
            // What this child resolved counts in its own forecast at once.
            if (await fanOut.TeachAsync(Journey, recorded, teachAll))
                _leadTimes?.Forget();
            await fanOut.SendAsync(before, Journey, recorded, services, await Directory(), clock.GetUtcNow(), await LeadTimes());
        }
        catch (Exception ex)
        {
            _logger.Log(Severity(ex), ex, "Child {ChildId} at version {Version}: publishing or updating boards and services failed; they catch up on its next change or activation",
                ChildId, Journey.Version);
        }
    }

    /// <summary>
    /// Keeps the one durable reminder at <see cref="JourneyClock.NextWakeAt"/>, or removes it when nothing is due.
    /// <paramref name="triedAt"/>: a tick just ran what was due at that time.
    /// </summary>
    private async Task KeepJourneyClock(DateTimeOffset? triedAt)
    {
        try
        {
            var now = clock.GetUtcNow();
            var wakeAt = JourneyClock.NextWakeAt(Journey, now);
            // What the tick tried is still due (refused): try again later, not at once.
            if (wakeAt <= triedAt)
                wakeAt = now + JourneyClock.RetryAfter;
            if (_wakeKnown && wakeAt == _wakeAt)
                return;
            if (wakeAt is { } at)
                await this.RegisterOrUpdateReminder(JourneyClockReminder, at > now ? at - now : TimeSpan.Zero, JourneyClock.CatchUpWithin);
            else if (await this.GetReminder(JourneyClockReminder) is { } reminder)
                await this.UnregisterReminder(reminder);
            _wakeAt = wakeAt;
            _wakeKnown = true;
        }
        catch (Exception ex)
        {
            _logger.Log(Severity(ex), ex, "Child {ChildId}: its journey clock reminder could not be set; it is set again on its next change or activation", ChildId);
        }
    }

    // While a node shuts down or dies its grains are going; that is expected, and healed on the next activation.
    private static LogLevel Severity(Exception ex) => NodeLoss.Caused(ex) ? LogLevel.Information : LogLevel.Error;

    private ValueTask<LeadTimes> LeadTimes() => (_leadTimes ??= new(GrainFactory.GetGrain<ILeadTimeGrain>(ILeadTimeGrain.DefaultKey).GetLeadTimes, clock, TimeSpan.FromMinutes(5))).GetAsync();

    private ValueTask<ServiceDirectorySnapshot> Directory() => (_directory ??= new(GrainFactory.GetGrain<IServiceDirectoryGrain>(IServiceDirectoryGrain.DefaultKey).GetDirectory, clock, TimeSpan.FromMinutes(1))).GetAsync();

    /// <summary>Reads a registered child; for any other id returns null and leaves no activation behind.</summary>
    private T? Known<T>(Func<ChildJourney, T?> read) where T : class
    {
        if (Journey.IsRegistered)
            return read(Journey);
        ForgetIfUnknown();
        return null;
    }

    private void ForgetIfUnknown()
    {
        // A refused command leaves nothing decided behind for the next one.
        _pending.Clear();
        _working = null;
        if (!Journey.IsRegistered)
            DeactivateOnIdle();
    }
}
