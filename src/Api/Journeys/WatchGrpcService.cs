using CareTwin.Grains.Forecasts;
using CareTwin.Journey.Delays;
using CareTwin.Api.Calls;
using CareTwin.Api.Contracts.V1;
using CareTwin.Api.Mapping;
using CareTwin.Api.Errors;
using CareTwin.Grains.Access;
using CareTwin.Grains.Boards;
using CareTwin.Grains.Publishing;
using CareTwin.Grains.Services;
using Grpc.Core;

namespace CareTwin.Api.Journeys;

/// <summary>caretwin.v1.Watch: a child, a service or a board, live. Opening a watch is audited like a read.</summary>
public sealed class WatchGrpcService(
    CallAdmission admission,
    WatchLimits limits,
    AccessGate gate,
    IClusterClient runtime,
    LeadTimesOnThisNode leadTimes,
    TimeProvider clock) : Contracts.V1.Watch.WatchBase
{
    private IStreamProvider Streams => runtime.GetStreamProvider(JourneyStreams.ProviderName);

    private Task<LeadTimes> LeadTimesAsync() => leadTimes.GetAsync();

    public override async Task WatchChild(WatchChildRequest request, IServerStreamWriter<ChildUpdate> stream, ServerCallContext context)
    {
        var call = await admission.AdmitWatchAsync(context, AccessAction.WatchChild, JourneysGrpcService.Subjects(request.ChildId));
        var childId = ProtoInput.ChildId(request.ChildId);
        using var lease = limits.Open(call);
        var access = await gate.ForChildAsync(call.Caller, AccessAction.WatchChild, childId, call.Channel).WaitAsync(call.Cancellation);
        var first = access.VisibleJourney(call.Caller, childId, $"watch child '{childId}'");

        var snapshotVersion = first.Version;
        var opening = true;
        async Task<ChildUpdate> SnapshotAsync()
        {
            var journey = opening ? first : (await StillAllowedAsync(call, childId)).Journey!;
            opening = false;
            snapshotVersion = journey.Version;
            return new ChildUpdate { Snapshot = ProtoViews.Journey(journey, clock.GetUtcNow(), await LeadTimesAsync()) };
        }

        async Task<ChildUpdate?> ChangeAsync(ChildChanged changed)
        {
            if (changed.Version <= snapshotVersion)
                return null; // already in the snapshot this watch sent
            var now = await StillAllowedAsync(call, childId);
            var change = new JourneyChange { Version = changed.Version, Journey = ProtoViews.Journey(now.Journey!, clock.GetUtcNow(), await LeadTimesAsync()) };
            change.Entries.AddRange(changed.Events.Where(e => now.Shows(e.Event)).Select(ProtoViews.Entry));
            return new ChildUpdate { Change = change };
        }

        await LiveWatch.RunAsync(Streams.ChildStream(childId), SnapshotAsync, ChangeAsync, stream, call.Cancellation);
    }

    public override async Task WatchService(WatchServiceRequest request, IServerStreamWriter<ServiceUpdate> stream, ServerCallContext context)
    {
        var call = await admission.AdmitWatchAsync(context, AccessAction.WatchService, ServiceSubjects(request.Service));
        var service = ProtoInput.Service(request.Service, "service");
        using var lease = limits.Open(call);
        if (!(await gate.ForServiceAsync(call.Caller, AccessAction.WatchService, service, call.Channel).WaitAsync(call.Cancellation)).Allowed)
            throw new AccessDeniedException(call.Caller, $"watch service '{service}'");

        var twin = runtime.GetGrain<IServiceGrain>(service.Value);
        var sent = new ChildVersionsSent();
        async Task<ServiceUpdate> SnapshotAsync()
        {
            var overview = await twin.GetOverview().WaitAsync(call.Cancellation);
            sent.Reset(overview.ChildVersions);
            return overview.Profile is null
                ? throw ApiStatusMapper.NotFound("service", $"No service '{service}' is registered with CareTwin.")
                : new ServiceUpdate { Snapshot = ProtoViews.Service(overview) };
        }

        Task<ServiceUpdate?> ChangeAsync(ServiceChanged changed)
        {
            if (!sent.IsNew(changed.ChildId, changed.ChildVersion))
                return Task.FromResult<ServiceUpdate?>(null);
            var change = new ServiceChange
            {
                ChildId = changed.ChildId,
                ChildVersion = changed.ChildVersion,
                AwaitingAcknowledgementCount = changed.AwaitingAcknowledgement,
                Performance = ProtoViews.Performance(changed.Performance),
            };
            change.ChildBlockers.AddRange(changed.ChildBlockers.Select(ProtoViews.OwnedBlocker));
            change.NewEscalations.AddRange(changed.NewEscalations.Select(ProtoViews.Awaiting));
            return Task.FromResult<ServiceUpdate?>(new ServiceUpdate { Change = change });
        }

        await LiveWatch.RunAsync(Streams.ServiceStream(service), SnapshotAsync, ChangeAsync, stream, call.Cancellation);
    }

    public override async Task WatchBoard(WatchBoardRequest request, IServerStreamWriter<BoardUpdate> stream, ServerCallContext context)
    {
        var call = await admission.AdmitWatchAsync(context, AccessAction.WatchBoard, BoardSubjects(request.Board));
        var board = ProtoInput.Board(request.Board, "board");
        using var lease = limits.Open(call);
        if (!(await gate.ForBoardAsync(call.Caller, AccessAction.WatchBoard, board, call.Channel).WaitAsync(call.Cancellation)).Allowed)
            throw new AccessDeniedException(call.Caller, $"watch board '{board}'");

        var twin = runtime.GetGrain<IBoardGrain>(board.ToString());
        var sent = new ChildVersionsSent();
        async Task<BoardUpdate> SnapshotAsync()
        {
            var snapshot = await twin.GetSnapshot().WaitAsync(call.Cancellation);
            sent.Reset(snapshot.ChildVersions);
            return new BoardUpdate { Snapshot = ProtoViews.Board(snapshot) };
        }

        Task<BoardUpdate?> ChangeAsync(BoardChanged changed) => Task.FromResult<BoardUpdate?>(!sent.IsNew(changed.ChildId, changed.ChildVersion) ? null : new BoardUpdate
        {
            Change = new BoardChange
            {
                ChildId = changed.ChildId,
                ChildVersion = changed.ChildVersion,
                Row = ProtoViews.Row(changed.Row),
                Totals = ProtoViews.Totals(changed.Totals, changed.Children),
            },
        });

        await LiveWatch.RunAsync(Streams.BoardStream(board), SnapshotAsync, ChangeAsync, stream, call.Cancellation);
    }

    /// <summary>
    /// The journey now, if the key may still watch it: a relationship can end while the watch runs (the service's
    /// last blocker resolved), and then the watch ends too. Checked with the one policy; only the ending is audited.
    /// </summary>
    private async Task<ChildAccess> StillAllowedAsync(ExternalCall call, string childId)
    {
        var access = await gate.RecheckChildAsync(call.Caller, AccessAction.WatchChild, childId, call.Channel, "watch ended").WaitAsync(call.Cancellation);
        return access.Journey is { IsRegistered: true } ? access : throw new AccessDeniedException(call.Caller, $"watch child '{childId}' any longer");
    }

    private static IEnumerable<string> ServiceSubjects(string service) =>
        Journey.Services.ServiceKey.TryParse(service, out var key) ? [$"service/{key}"] : [];

    private static IEnumerable<string> BoardSubjects(string board) =>
        BoardKey.TryParse(board, out var key) ? [$"board/{key}"] : [];
}
