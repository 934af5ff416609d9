using System.Collections.Immutable;
using System.Numerics;
using System.Text.Json.Serialization;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Services;

namespace CareTwin.Journey.Projections;

/// <summary>
/// A live board over many children (a hospital or region). It is updated by replacing one
/// child's row: the old row's numbers are subtracted and the new row's added, so an update costs
/// the size of one row, never a scan of all children.
/// Discharged children (<see cref="BoardRow.IsDischarged"/>) keep their rows, for "recently discharged", but are
/// off the live list, so every total counts only the children still on it.
/// </summary>
/// <param name="ChildrenByEscalationLevel">Index 0-3: how many children on the live list have that highest escalation level.</param>
/// <param name="Discharged">How many of the rows are discharged children.</param>
/// <param name="Families">Families on the live list whose time and money are counted (<see cref="BoardRow.FamilyCosts"/>).</param>
/// <param name="FamilyHours">Their hours at and getting to appointments in the last 30 days.</param>
/// <param name="FamilyMoney">Money spent getting there in the last 30 days, by the <paramref name="FamiliesWithMoney"/> families who told us what it costs.</param>
/// <param name="FamiliesWithTravelTime">Families whose hours include travel: they told us how long getting there takes.</param>
public sealed record BoardSummary(
    ImmutableDictionary<string, BoardRow> Rows,
    int ChildrenDelayed,
    long DaysDelayed,
    ImmutableDictionary<ServiceKey, decimal> DelayDaysByService,
    ImmutableDictionary<BlockerCategory, decimal> DelayDaysByCategory,
    ImmutableDictionary<ServiceKey, int> OpenBlockersByService,
    ImmutableDictionary<BlockerCategory, int> OpenBlockersByCategory,
    int SlaBreaches,
    int AwaitingAcknowledgement,
    ImmutableArray<int> ChildrenByEscalationLevel,
    int Discharged = 0,
    int Families = 0,
    decimal FamilyHours = 0m,
    decimal FamilyMoney = 0m,
    int FamiliesWithMoney = 0,
    int FamiliesWithTravelTime = 0)
{
    public static BoardSummary Empty { get; } = new(
        ImmutableDictionary<string, BoardRow>.Empty, 0, 0,
        ImmutableDictionary<ServiceKey, decimal>.Empty, ImmutableDictionary<BlockerCategory, decimal>.Empty,
        ImmutableDictionary<ServiceKey, int>.Empty, ImmutableDictionary<BlockerCategory, int>.Empty,
        0, 0, [0, 0, 0, 0]);

    /// <summary>Children on the live list (discharged children are not).</summary>
    [JsonIgnore]
    public int Children => Rows.Count - Discharged;

    /// <summary>Adds the child's row, or replaces its previous one.</summary>
    public BoardSummary Upsert(BoardRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var without = Rows.TryGetValue(row.ChildId, out var old) ? Combine(old, -1) : this;
        return without.Combine(row, +1) with { Rows = Rows.SetItem(row.ChildId, row) };
    }

    public BoardSummary Remove(string childId) =>
        Rows.TryGetValue(childId, out var old) ? Combine(old, -1) with { Rows = Rows.Remove(childId) } : this;

    public static BoardSummary Of(IEnumerable<BoardRow> rows) => rows.Aggregate(Empty, (summary, row) => summary.Upsert(row));

    private BoardSummary Combine(BoardRow row, int change) => row.IsDischarged ? this with { Discharged = Discharged + change } : Count(row, change);

    private BoardSummary Count(BoardRow row, int sign) => this with
    {
        ChildrenDelayed = ChildrenDelayed + (row.DaysDelayed > 0 ? sign : 0),
        DaysDelayed = DaysDelayed + sign * row.DaysDelayed,
        DelayDaysByService = Merge(DelayDaysByService, row.DelayDaysByService, sign),
        DelayDaysByCategory = Merge(DelayDaysByCategory, row.DelayDaysByCategory, sign),
        OpenBlockersByService = Merge(OpenBlockersByService, row.OpenBlockersByService, sign),
        OpenBlockersByCategory = Merge(OpenBlockersByCategory, row.OpenBlockersByCategory, sign),
        SlaBreaches = SlaBreaches + sign * row.SlaBreaches,
        AwaitingAcknowledgement = AwaitingAcknowledgement + sign * row.AwaitingAcknowledgement,
        ChildrenByEscalationLevel = ChildrenByEscalationLevel.SetItem(row.MaxEscalationLevel, ChildrenByEscalationLevel[row.MaxEscalationLevel] + sign),
        Families = Families + (row.FamilyCosts is null ? 0 : sign),
        FamilyHours = FamilyHours + sign * (row.FamilyCosts?.Hours ?? 0m),
        FamilyMoney = FamilyMoney + sign * (row.FamilyCosts?.Money ?? 0m),
        FamiliesWithMoney = FamiliesWithMoney + (row.FamilyCosts?.Money is null ? 0 : sign),
        FamiliesWithTravelTime = FamiliesWithTravelTime + (row.FamilyCosts?.TravelTimeKnown == true ? sign : 0),
    };

    // Zero totals are dropped so an incrementally kept summary equals one built from scratch.
    private static ImmutableDictionary<TKey, TValue> Merge<TKey, TValue>(
        ImmutableDictionary<TKey, TValue> totals, ImmutableDictionary<TKey, TValue> row, int sign)
        where TKey : notnull
        where TValue : INumber<TValue>
    {
        var builder = totals.ToBuilder();
        var factor = TValue.CreateChecked(sign);
        foreach (var (key, value) in row)
        {
            var total = builder.GetValueOrDefault(key, TValue.Zero) + factor * value;
            if (TValue.IsZero(total))
                builder.Remove(key);
            else
                builder[key] = total;
        }
        return builder.ToImmutable();
    }
}
