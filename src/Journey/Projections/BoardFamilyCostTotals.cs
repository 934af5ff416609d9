using System.Collections.Immutable;
using CareTwin.Journey.Family;
using CareTwin.Journey.Wording;

namespace CareTwin.Journey.Projections;

/// <summary>A figure on a board in words: its value ("7 hours", "£16.50") and what it counts.</summary>
public sealed record BoardFigure(string Value, string Label);

/// <summary>
/// The families' time and money over the last 30 days across a board's live list, worded once here so the server's
/// first view and the live board (which only lays these words out) read the same. Totals only: no family is named,
/// and a board never shows one family's figures.
/// </summary>
/// <param name="WorkedOut">How the figures were worked out, in a sentence or two a coordinator can check.</param>
public sealed record BoardFamilyCostTotals(ImmutableArray<BoardFigure> Figures, string WorkedOut)
{
    public static BoardFamilyCostTotals Of(BoardSummary board)
    {
        ArgumentNullException.ThrowIfNull(board);
        var families = board.Families;
        var withoutMoney = families - board.FamiliesWithMoney;
        return new(
        [
            new(FamilyCostEstimate.Hours(board.FamilyHours), "families spent at and getting to appointments in the last 30 days"),
            new(FamilyCostEstimate.Pounds(board.FamilyMoney), $"spent getting there in the last 30 days ({board.FamiliesWithMoney} of {Families(families)} told us what it costs)"),
        ],
            $"How the families' figures were worked out: added up over the {Families(families)} of the children on the board, naming no one. " +
            "Hours are each appointment's length in the last 30 days (attended, or its time passed with nothing else recorded), " +
            $"plus travel there and back for the {Families(board.FamiliesWithTravelTime)} who told us how long it takes. " +
            $"Money is fares or fuel and parking for each trip, only for the {Families(board.FamiliesWithMoney)} who told us what getting there costs" +
            (withoutMoney > 0 ? $"; the other {withoutMoney} {(withoutMoney == 1 ? "is" : "are")} not in it." : "."));
    }

    private static string Families(int count) => Quantity.Of(count, "family", "families");
}
