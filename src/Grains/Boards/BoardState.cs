using System.Collections.Immutable;
using CareTwin.Journey.Projections;

namespace CareTwin.Grains.Boards;

/// <summary>
/// Which version of a child's row a board holds. A row is a function of the child's journal version and
/// the UK day it was built on (days delayed and SLA breaches count whole days), so a row is newer exactly
/// when its (version, day) is.
/// </summary>
public sealed record BoardRowStamp(long Version, DateOnly Day)
{
    public bool IsNewerThan(BoardRowStamp other) => Version > other.Version || (Version == other.Version && Day > other.Day);
}

/// <summary>A board's row as stored, with the stamp that says which of the child's versions it shows.</summary>
public sealed record StoredBoardRow(BoardRowStamp Stamp, BoardRow Row);

/// <summary>A board in memory: its rows with their totals, and which version of each child it holds.</summary>
public sealed class BoardState
{
    public BoardSummary Summary { get; set; } = BoardSummary.Empty;

    public ImmutableDictionary<string, BoardRowStamp> Stamps { get; set; } = ImmutableDictionary<string, BoardRowStamp>.Empty;
}
