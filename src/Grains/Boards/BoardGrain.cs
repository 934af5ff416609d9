using System.Collections.Immutable;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Projections;
using CareTwin.Grains.Publishing;
using CareTwin.Grains.Persistence;
using CareTwin.Grains.Views;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace CareTwin.Grains.Boards;

/// <param name="whole">Where a board was stored in one piece before its rows were bucketed: read once, taken over, cleared.</param>
[GrainType("board")]
public sealed class BoardGrain(
    [PersistentState("board")] IPersistentState<BoardState> whole,
    [FromKeyedServices(StoredGrainState.ProviderName)] IGrainStorage storage,
    TimeProvider clock,
    ILogger<BoardGrain> logger) : Grain, IBoardGrain
{
    private BoardKey _key = null!;
    private readonly BoardState _board = new();
    private BucketedRows<StoredBoardRow> _rows = null!;
    private WriteBehind _writes = null!;
    private StreamOutbox<BoardChanged> _changes = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!BoardKey.TryParse(this.GetPrimaryKeyString(), out var key))
            throw new ArgumentException($"'{this.GetPrimaryKeyString()}' is not a board key like 'hospital:royal-thamesbank' or 'region:north-thames'.");
        _key = key;
        _rows = new BucketedRows<StoredBoardRow>(storage, this.GetGrainId(), "board-rows", whole);
        _writes = new WriteBehind(this, _rows.WriteChangedAsync);
        _changes = new StreamOutbox<BoardChanged>(this.GetStreamProvider(JourneyStreams.ProviderName).BoardStream(key), logger);
        await _rows.ReadAsync();
        var rows = _rows.Rows.ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal);
        if (whole.RecordExists)
        {
            // Rows of a board stored whole are taken over where no newer bucketed row exists (a move cut short).
            foreach (var (childId, row) in whole.State.Summary.Rows)
            {
                if (!whole.State.Stamps.TryGetValue(childId, out var stamp) || (rows.TryGetValue(childId, out var held) && !stamp.IsNewerThan(held.Stamp)))
                    continue;
                rows[childId] = new StoredBoardRow(stamp, row);
                _rows.Set(childId, rows[childId]);
            }
            _writes.Changed();
        }
        // Totals are counted from the rows once per activation, so they always agree with the rows, whatever rule
        // counted them when they were stored; a board of 2,000 rows takes a few milliseconds.
        _board.Summary = BoardSummary.Of(rows.Values.Select(r => r.Row));
        _board.Stamps = rows.ToImmutableDictionary(r => r.Key, r => r.Value.Stamp);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.WhenAll(_writes.FlushAsync(), _changes.DrainedAsync());

    public Task<bool> Upsert(BoardRowUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        ArgumentNullException.ThrowIfNull(update.Row);
        if (update.Row.ChildId != update.ChildId || !_key.Covers(update.Row))
            throw new ArgumentException($"The row of child '{update.Row.ChildId}' does not belong on board {_key} as child '{update.ChildId}'.", nameof(update));

        var stamp = new BoardRowStamp(update.Version, UkCalendar.DateOf(update.Row.AsOf));
        var state = _board;
        if (state.Stamps.TryGetValue(update.ChildId, out var held) && !stamp.IsNewerThan(held))
            return Task.FromResult(false);
        state.Summary = state.Summary.Upsert(update.Row);
        state.Stamps = state.Stamps.SetItem(update.ChildId, stamp);
        _rows.Set(update.ChildId, new StoredBoardRow(stamp, update.Row));
        _writes.Changed();
        _changes.Send(BoardChanged.After(_key.ToString(), update.ChildId, update.Version, update.Row, state.Summary));
        return Task.FromResult(true);
    }

    public Task<BoardSnapshot> GetSnapshot() => Task.FromResult(new BoardSnapshot(_key.ToString(), _board.Summary, clock.GetUtcNow(),
        _board.Stamps.ToImmutableDictionary(s => s.Key, s => s.Value.Version)));
}
