using System.Collections.Immutable;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Projections;
using CareTwin.Grains.Publishing;
using CareTwin.Grains.Views;

namespace CareTwin.Grains.Boards;

[GrainType("board")]
public sealed class BoardGrain([PersistentState("board")] IPersistentState<BoardState> board, TimeProvider clock) : Grain, IBoardGrain
{
    private BoardKey _key = null!;
    private WriteBehind<BoardState> _writes = null!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!BoardKey.TryParse(this.GetPrimaryKeyString(), out var key))
            throw new ArgumentException($"'{this.GetPrimaryKeyString()}' is not a board key like 'hospital:royal-thamesbank' or 'region:north-thames'.");
        _key = key;
        _writes = new WriteBehind<BoardState>(this, board);
        // Totals are counted again from the rows once per activation, so totals stored under an earlier rule (before
        // discharged children left the live list) agree with the rows; a board of 2,000 rows takes a few milliseconds.
        if (!board.State.Summary.Rows.IsEmpty) board.State.Summary = BoardSummary.Of(board.State.Summary.Rows.Values);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => _writes.FlushAsync();

    public async Task<bool> Upsert(BoardRowUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        ArgumentNullException.ThrowIfNull(update.Row);
        if (update.Row.ChildId != update.ChildId || !_key.Covers(update.Row))
            throw new ArgumentException($"The row of child '{update.Row.ChildId}' does not belong on board {_key} as child '{update.ChildId}'.", nameof(update));

        var stamp = new BoardRowStamp(update.Version, UkCalendar.DateOf(update.Row.AsOf));
        var state = board.State;
        if (state.Stamps.TryGetValue(update.ChildId, out var held) && !stamp.IsNewerThan(held))
            return false;
        state.Summary = state.Summary.Upsert(update.Row);
        state.Stamps = state.Stamps.SetItem(update.ChildId, stamp);
        _writes.Changed();
        await this.GetStreamProvider(JourneyStreams.ProviderName).BoardStream(_key)
            .PublishAsync(BoardChanged.After(_key.ToString(), update.ChildId, update.Version, update.Row, state.Summary));
        return true;
    }

    public Task<BoardSnapshot> GetSnapshot() => Task.FromResult(new BoardSnapshot(_key.ToString(), board.State.Summary, clock.GetUtcNow(),
        board.State.Stamps.ToImmutableDictionary(s => s.Key, s => s.Value.Version)));
}
