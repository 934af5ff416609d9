using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace CareTwin.Storage.Sqlite;

/// <summary>
/// Copies the WAL back into the database every <see cref="Interval"/> from a connection of its own, so the writer's
/// commits seldom stop for a checkpoint: when the WAL reaches the writer's own bound, little is left for it to copy.
/// A passive checkpoint never blocks the writer or a reader.
/// </summary>
internal sealed class WalCheckpoints : IAsyncDisposable
{
    /// <summary>Short enough that the WAL seldom reaches the writer's bound between two (measured in bench/results/storage.md).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    private readonly string _connectionString;
    private readonly Func<long> _commits;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _copying;
    private long _commitsCheckpointed;
    private bool _failing;

    /// <param name="commits">The writer's commits so far: a tick after none does nothing, so an idle host stays idle.</param>
    public WalCheckpoints(string connectionString, Func<long> commits, ILogger log)
    {
        _connectionString = connectionString;
        _commits = commits;
        _log = log;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Checkpoints that had copied WAL frames into the database (tests check that the copying happens off the writer).</summary>
    public long CheckpointsThatCopied => Interlocked.Read(ref _copying);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token)) CheckpointOnce();
        }
        catch (OperationCanceledException) { }
    }

    private void CheckpointOnce()
    {
        var commits = _commits();
        if (commits == _commitsCheckpointed && !_failing) return;
        try
        {
            using var connection = new SqliteConnection(_connectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
            using var result = command.ExecuteReader();
            // One row: busy, frames in the WAL, of those frames how many are now in the database.
            if (result.Read() && result.GetInt64(2) > 0) Interlocked.Increment(ref _copying);
            if (_failing) _log.LogInformation("Background checkpoints of the SQLite WAL work again");
            _failing = false;
            _commitsCheckpointed = commits;
        }
        catch (SqliteException ex)
        {
            // Once per spell, not every 50 ms: the writer's own checkpoint still bounds the WAL meanwhile.
            if (!_failing) _log.LogWarning(ex, "A background checkpoint of the SQLite WAL failed; the writer still checkpoints it itself");
            _failing = true;
        }
    }
}
