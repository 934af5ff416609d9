using Microsoft.Extensions.Logging;

namespace CareTwin.Grains.Publishing;

/// <summary>
/// A view grain's changes on their way out to one live stream, in order, without holding up the grain: the change is
/// queued and the grain's turn ends. One publish is in flight at a time; what queues meanwhile goes out in the next
/// one as a single batch (one serialization, one queue message), so a board every child writes to publishes a few
/// times per round trip rather than once per change. Watchers still get each change on its own, in order.
/// </summary>
/// <remarks>Used only from its grain's turns, which never run at once, so it needs no lock.</remarks>
internal sealed class StreamOutbox<T>(IAsyncStream<T> stream, ILogger logger)
{
    private List<T> _waiting = [];
    private Task _sending = Task.CompletedTask;

    public void Send(T change)
    {
        _waiting.Add(change);
        if (_sending.IsCompleted)
            _sending = SendWaitingAsync();
    }

    /// <summary>Completes once everything queued so far has been published (or given up on); for deactivation.</summary>
    public Task DrainedAsync() => _sending;

    private async Task SendWaitingAsync()
    {
        while (_waiting.Count > 0)
        {
            var batch = _waiting;
            _waiting = [];
            try
            {
                await stream.PublishAllAsync(batch);
            }
            catch (Exception ex)
            {
                // Live, not durable: a watcher that misses a change reads the twin again on the next one or on reconnecting.
                logger.LogWarning(ex, "Publishing {Count} live change(s) of {Type} failed; watchers catch up on the next change", batch.Count, typeof(T).Name);
            }
        }
    }
}
