using CareTwin.Grains.Boards;
using CareTwin.Grains.Cluster;
using CareTwin.Journey.Services;

namespace CareTwin.Grains.Publishing;

/// <summary>
/// Where the twins publish, so the web and gRPC layers subscribe the same way. Every stream is on Orleans's
/// stream provider <see cref="ProviderName"/> and carries exactly one payload type; subscribe through these
/// accessors so the type always matches.
/// <list type="table">
/// <item><term><see cref="ChildNamespace"/></term><description>key: child id; <see cref="ChildChanged"/>: staff view (events and board row), every accepted change.</description></item>
/// <item><term><see cref="FamilyNamespace"/></term><description>key: child id; <see cref="FamilyViewChanged"/>: only when what the family can see changed; never sensitive blockers or professional text.</description></item>
/// <item><term><see cref="ServiceNamespace"/></term><description>key: service key; <see cref="ServiceChanged"/>: a child's blockers at that service changed (incl. new escalations).</description></item>
/// <item><term><see cref="BoardNamespace"/></term><description>key: <see cref="BoardKey"/> ("hospital:x", "region:y"); <see cref="BoardChanged"/>: one child's row changed.</description></item>
/// <item><term><see cref="ServiceMeetingsNamespace"/></term><description>key: service key; <see cref="ServiceActionAgreed"/>: a meeting gave the service an action.</description></item>
/// <item><term><see cref="MeetingNamespace"/></term><description>key: meeting id; <see cref="MeetingChanged"/>: the meeting after each change (agenda, attendees, an action agreed, closed).</description></item>
/// </list>
/// Streams are live, not durable: a subscriber that cannot keep up, or reconnects, reads the twin again.
/// </summary>
public static class JourneyStreams
{
    public const string ProviderName = "caretwin.live";

    public const string ChildNamespace = "caretwin.child";
    public const string FamilyNamespace = "caretwin.family";
    public const string ServiceNamespace = "caretwin.service";
    public const string BoardNamespace = "caretwin.board";
    public const string MeetingNamespace = "caretwin.meeting";
    public const string ServiceMeetingsNamespace = "caretwin.service-meetings";

    public static IAsyncStream<ChildChanged> ChildStream(this IStreamProvider streams, string childId) =>
        streams.GetStream<ChildChanged>(StreamId.Create(ChildNamespace, childId));

    public static IAsyncStream<FamilyViewChanged> FamilyStream(this IStreamProvider streams, string childId) =>
        streams.GetStream<FamilyViewChanged>(StreamId.Create(FamilyNamespace, childId));

    public static IAsyncStream<ServiceChanged> ServiceStream(this IStreamProvider streams, ServiceKey service) =>
        streams.GetStream<ServiceChanged>(StreamId.Create(ServiceNamespace, service.Value));

    public static IAsyncStream<BoardChanged> BoardStream(this IStreamProvider streams, BoardKey board) =>
        streams.GetStream<BoardChanged>(StreamId.Create(BoardNamespace, board.ToString()));

    public static IAsyncStream<MeetingChanged> MeetingStream(this IStreamProvider streams, string meetingId) =>
        streams.GetStream<MeetingChanged>(StreamId.Create(MeetingNamespace, meetingId));

    public static IAsyncStream<ServiceActionAgreed> ServiceMeetingsStream(this IStreamProvider streams, ServiceKey service) =>
        streams.GetStream<ServiceActionAgreed>(StreamId.Create(ServiceMeetingsNamespace, service.Value));

    /// <summary>Waits between attempts to publish while the node holding the stream's queue is being declared dead.</summary>
    private static readonly TimeSpan[] Failover = [TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)];

    /// <summary>
    /// Publishes one change. In a cluster the stream's queue lives on some node; if that node has just died the
    /// publish fails until the cluster has declared it dead (about a second) and the queue lives elsewhere, so it is
    /// tried again then rather than lost to every watcher.
    /// </summary>
    public static Task PublishAsync<T>(this IAsyncStream<T> stream, T change) => WhileNodeLostAsync(() => stream.OnNextAsync(change));

    /// <summary>Publishes changes in order as one queue message; watchers still get them one by one. Retried as <see cref="PublishAsync{T}(IAsyncStream{T}, T)"/>.</summary>
    public static Task PublishAllAsync<T>(this IAsyncStream<T> stream, IReadOnlyList<T> changes) =>
        changes.Count == 1 ? stream.PublishAsync(changes[0]) : WhileNodeLostAsync(() => stream.OnNextBatchAsync(changes));

    private static async Task WhileNodeLostAsync(Func<Task> publish)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await publish();
                return;
            }
            catch (Exception ex) when (NodeLoss.Caused(ex) && attempt < Failover.Length)
            {
                await Task.Delay(Failover[attempt]);
            }
        }
    }
}
