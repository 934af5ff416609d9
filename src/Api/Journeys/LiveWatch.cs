using System.Threading.Channels;
using CareTwin.Actors;
using CareTwin.Actors.Streams;
using CareTwin.Api.Grpc;
using Google.Protobuf;

namespace CareTwin.Api.Journeys;

/// <summary>
/// The shape every watch has: subscribe first (so nothing slips between), send a snapshot, then one update per
/// published change. When this watch lost changes (the runtime's buffer for a slow subscriber dropped some, seen
/// as a gap in the sequence tokens or in the dropped count), it sends a fresh snapshot instead of guessing.
/// </summary>
internal static class LiveWatch
{
    /// <summary>Changes waiting to be written; a slow client makes the runtime's own buffer drop, which we detect.</summary>
    private const int Pending = 16;

    /// <param name="change">The update for one change, or null to send nothing for it.</param>
    public static async Task RunAsync<TItem, TUpdate>(
        IAsyncStream<TItem> stream,
        Func<Task<TUpdate>> snapshot,
        Func<TItem, Task<TUpdate?>> change,
        IServerStreamWriter<TUpdate> writer,
        CancellationToken cancellationToken)
        where TUpdate : class, IMessage<TUpdate>
    {
        var changes = Channel.CreateBounded<(TItem Item, StreamSequenceToken? Token)>(
            new BoundedChannelOptions(Pending) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        var subscription = await stream.SubscribeAsync(
            async (item, token) =>
            {
                try
                {
                    await changes.Writer.WriteAsync((item, token), cancellationToken);
                }
                catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
                {
                    // The watch has ended; what it misses no longer matters.
                }
            },
            onErrorAsync: null,
            onCompletedAsync: () =>
            {
                changes.Writer.TryComplete(new SiloUnavailableException("The runtime stopped publishing changes."));
                return Task.CompletedTask;
            });
        try
        {
            await writer.WriteAsync(await snapshot());
            long? lastToken = null;
            var dropped = subscription.DroppedCount;
            await foreach (var (item, token) in changes.Reader.ReadAllAsync(cancellationToken))
            {
                var gap = (lastToken is { } last && token is not null && token.SequenceNumber != last + 1) || subscription.DroppedCount != dropped;
                lastToken = token?.SequenceNumber;
                dropped = subscription.DroppedCount;
                var update = gap ? await snapshot() : await change(item);
                if (update is not null)
                    await writer.WriteAsync(update);
            }
        }
        finally
        {
            changes.Writer.TryComplete();
            await subscription.UnsubscribeAsync();
        }
    }
}
