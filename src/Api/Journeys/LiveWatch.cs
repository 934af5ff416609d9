using System.Threading.Channels;
using Google.Protobuf;
using Grpc.Core;

namespace CareTwin.Api.Journeys;

/// <summary>
/// The shape every watch has: subscribe first (so nothing slips between), send a snapshot, then one update per
/// published change. A watcher that falls behind never holds up the stream: changes it has no room for are
/// dropped, and it sends a fresh snapshot instead of guessing.
/// </summary>
internal static class LiveWatch
{
    /// <summary>Changes waiting to be written; beyond this a slow client is brought back by a snapshot.</summary>
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
        var changes = Channel.CreateBounded<TItem>(new BoundedChannelOptions(Pending) { SingleReader = true, SingleWriter = true });
        var missed = 0;
        var subscription = await stream.SubscribeAsync(
            (item, _) =>
            {
                if (!changes.Writer.TryWrite(item))
                    Volatile.Write(ref missed, 1);
                return Task.CompletedTask;
            },
            onErrorAsync: _ =>
            {
                Volatile.Write(ref missed, 1);
                return Task.CompletedTask;
            },
            onCompletedAsync: () =>
            {
                changes.Writer.TryComplete(new SiloUnavailableException("The runtime stopped publishing changes."));
                return Task.CompletedTask;
            });
        try
        {
            await writer.WriteAsync(await snapshot());
            await foreach (var item in changes.Reader.ReadAllAsync(cancellationToken))
            {
                // Anything dropped was newer than what is still queued, so the snapshot taken now covers it.
                var gap = Interlocked.Exchange(ref missed, 0) == 1;
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
