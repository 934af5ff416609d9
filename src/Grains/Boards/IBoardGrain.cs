using System.Collections.Immutable;
using CareTwin.Journey.Projections;

namespace CareTwin.Grains.Boards;

/// <summary>
/// A live board (key: <see cref="BoardKey"/>). Children push their own rows to it; it never reads children,
/// so a change costs one row, whatever the size of the board.
/// </summary>
public interface IBoardGrain : IGrainWithStringKey
{
    /// <summary>Puts in the child's row unless the board already has it at this version and day; true if the board changed.</summary>
    /// <remarks>
    /// Answers once the row is in; the change reaches the board's stream just after, in order, batched with the rows
    /// that arrive while a publish is in flight, so a child's write does not wait for the board's watchers (a region's
    /// board is every child's).
    /// </remarks>
    [AlwaysInterleave]
    Task<bool> Upsert(BoardRowUpdate update);

    [ReadOnly]
    Task<BoardSnapshot> GetSnapshot();
}

/// <param name="Version">The child's journal version the row was built from.</param>
public sealed record BoardRowUpdate(string ChildId, long Version, BoardRow Row);

/// <param name="ChildVersions">The version of each child the snapshot reflects, so a watcher can tell a change it already has.</param>
public sealed record BoardSnapshot(string BoardKey, BoardSummary Summary, DateTimeOffset AsOf, ImmutableDictionary<string, long>? ChildVersions = null);
