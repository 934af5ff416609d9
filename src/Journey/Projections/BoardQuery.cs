using System.Collections.Immutable;
using System.Globalization;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Services;

namespace CareTwin.Journey.Projections;

/// <summary>Which of a board's lists: the children still in hospital, or those who left recently.</summary>
public enum BoardList
{
    Live,
    RecentlyDischarged,
}

public enum BoardSort
{
    /// <summary>Days delayed, most first.</summary>
    Delay,
    /// <summary>Highest escalation level first, then days delayed.</summary>
    Escalation,
    /// <summary>Most blockers past their SLA first, then days delayed.</summary>
    Breaches,
    /// <summary>Latest predicted ready date first; children without one last.</summary>
    Predicted,
    /// <summary>By name, A to Z.</summary>
    Name,
    /// <summary>Latest likely ready first (the late end of the forecast, then its early end); children without one last.</summary>
    Forecast,
    /// <summary>Most recently discharged first.</summary>
    Discharged,
}

/// <summary>
/// What a coordinator asked of a board: one list, its filters, the sort and the page. It travels in the board
/// page's address (so reloads and shared links keep it), and the CSV export reads the same address, so the file
/// holds exactly the rows the page lists (every page of them). The browser's board.ts applies the same rules
/// (boardQuery.ts): the parameter names, the filters and the orders here and there must stay the same.
/// A value the board does not know (a hospital or agency that is not on it, a misspelt sort, a negative number)
/// is ignored, as if it were not in the address; a page past the last is the last.
/// </summary>
/// <param name="MinDelay">Only children delayed more than this many days (0: everyone).</param>
/// <param name="Page">From 1; clamp it with <see cref="PageOf"/> once the number of rows is known.</param>
/// <param name="Search">
/// Finds a child: digits (spaces allowed, as NHS numbers are printed) are looked for in the NHS number, anything else
/// in the name, ignoring case.
/// </param>
public sealed record BoardQuery(
    BoardList List,
    string? Hospital,
    ServiceKey? Agency,
    BlockerCategory? Category,
    int MinDelay,
    BoardSort Sort,
    int Page,
    string? Search = null)
{
    public const int PageSize = 50;

    /// <summary>How long a discharged child stays on "recently discharged".</summary>
    public const int RecentlyDischargedDays = 30;

    /// <summary>The largest "delayed more than" a board takes (about 27 years).</summary>
    public const int LargestMinDelay = 10_000;

    /// <summary>Longer searches are cut to this many characters.</summary>
    public const int LongestSearch = 100;

    public static BoardQuery Default { get; } = new(BoardList.Live, null, null, null, 0, BoardSort.Delay, 1);

    private static readonly CultureInfo Names = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>The address's values by parameter name: list, hospital, agency, category, delay, sort, page.</summary>
    /// <param name="hospitals">The hospitals the board knows: any other is ignored.</param>
    /// <param name="services">The agencies the board knows: any other is ignored.</param>
    public static BoardQuery Parse(Func<string, string?> value, IReadOnlySet<string> hospitals, IReadOnlySet<ServiceKey> services)
    {
        ArgumentNullException.ThrowIfNull(value);
        var list = value("list") == "discharged" ? BoardList.RecentlyDischarged : BoardList.Live;
        var hospital = value("hospital") is { } h && hospitals.Contains(h) ? h : null;
        var agency = ServiceKey.TryParse(value("agency"), out var key) && services.Contains(key) ? key : null;
        BlockerCategory? category = Enum.GetValues<BlockerCategory>().Where(c => BlockerCategories.Key(c) == value("category")).Select(c => (BlockerCategory?)c).FirstOrDefault();
        var minDelay = Whole(value("delay")) is { } d && d <= LargestMinDelay ? d : 0;
        var named = Enum.GetValues<BoardSort>().Where(s => SortKey(s) == value("sort")).Select(s => (BoardSort?)s).FirstOrDefault();
        // "Most recently discharged" means nothing on the live list.
        var sort = named is { } n && !(n == BoardSort.Discharged && list == BoardList.Live) ? n : DefaultSort(list);
        var page = Whole(value("page")) is { } p and > 0 ? p : 1;
        var search = value("q")?.Trim() is { Length: > 0 } q ? q[..Math.Min(q.Length, LongestSearch)] : null;
        return new BoardQuery(list, hospital, agency, category, minDelay, sort, page, search);
    }

    /// <summary>The sort a list has when the address names none.</summary>
    public static BoardSort DefaultSort(BoardList list) => list == BoardList.RecentlyDischarged ? BoardSort.Discharged : BoardSort.Delay;

    /// <summary>The sort's name in the address, e.g. "delay".</summary>
    public static string SortKey(BoardSort sort) => sort.ToString().ToLowerInvariant();

    /// <summary>
    /// The query as address parameters, leaving out what is as by default, e.g. "hospital=royal-thamesbank&amp;sort=name"
    /// (empty for the default); the page only when <paramref name="withPage"/> and past the first.
    /// </summary>
    public string ToAddress(bool withPage = true)
    {
        var parts = new List<string>();
        if (List == BoardList.RecentlyDischarged) parts.Add("list=discharged");
        if (Search is not null) parts.Add("q=" + Uri.EscapeDataString(Search));
        if (Hospital is not null) parts.Add("hospital=" + Uri.EscapeDataString(Hospital));
        if (Agency is not null) parts.Add("agency=" + Uri.EscapeDataString(Agency.Value));
        if (Category is { } category) parts.Add("category=" + BlockerCategories.Key(category));
        if (MinDelay > 0) parts.Add("delay=" + MinDelay.ToString(CultureInfo.InvariantCulture));
        if (Sort != DefaultSort(List)) parts.Add("sort=" + SortKey(Sort));
        if (withPage && Page > 1) parts.Add("page=" + Page.ToString(CultureInfo.InvariantCulture));
        return string.Join('&', parts);
    }

    /// <summary>The rows of this list that pass the filters, in this sort's order (every page).</summary>
    /// <param name="today">The UK date "recently discharged" is counted back from.</param>
    public ImmutableArray<BoardRow> Select(IEnumerable<BoardRow> rows, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var since = today.AddDays(-RecentlyDischargedDays);
        return [.. rows.Where(r => List == BoardList.Live ? !r.IsDischarged : r.DischargedOn >= since).Where(Passes).Order(Comparer<BoardRow>.Create(Compare))];
    }

    /// <summary>The page to show of <paramref name="count"/> rows (this query's, clamped to 1…pages), and how many pages there are (at least 1).</summary>
    public (int Page, int Pages) PageOf(int count)
    {
        var pages = Math.Max(1, (count + PageSize - 1) / PageSize);
        return (Math.Clamp(Page, 1, pages), pages);
    }

    /// <summary>The rows of the page to show.</summary>
    public ImmutableArray<BoardRow> PageRows(ImmutableArray<BoardRow> selected)
    {
        var (page, _) = PageOf(selected.Length);
        return [.. selected.Skip((page - 1) * PageSize).Take(PageSize)];
    }

    private bool Passes(BoardRow row) =>
        Finds(row)
        && (Hospital is null || row.HospitalKey == Hospital)
        && (Agency is null || row.OpenBlockersByService.GetValueOrDefault(Agency) > 0)
        && (Category is not { } category || row.OpenBlockersByCategory.GetValueOrDefault(category) > 0)
        && (MinDelay == 0 || row.DaysDelayed > MinDelay);

    private bool Finds(BoardRow row)
    {
        if (Search is null) return true;
        if (Search.All(c => char.IsAsciiDigit(c) || c == ' '))
            return row.NhsNumber is { } nhs && nhs.Digits.Contains(Search.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        return Names.CompareInfo.IndexOf(row.ChildName, Search, CompareOptions.IgnoreCase) >= 0;
    }

    // Every order ends with the child id (ordinal), so it is total and the page and the CSV agree row for row.
    private int Compare(BoardRow a, BoardRow b)
    {
        var first = Sort switch
        {
            BoardSort.Name => string.Compare(a.ChildName, b.ChildName, Names, CompareOptions.None),
            BoardSort.Escalation => Descending(a.MaxEscalationLevel, b.MaxEscalationLevel, a.DaysDelayed, b.DaysDelayed),
            BoardSort.Breaches => Descending(a.SlaBreaches, b.SlaBreaches, a.DaysDelayed, b.DaysDelayed),
            BoardSort.Predicted => LatestFirst(a.PredictedReadyDate, b.PredictedReadyDate),
            BoardSort.Discharged => LatestFirst(a.DischargedOn, b.DischargedOn),
            BoardSort.Forecast => LatestFirst(a.Forecast?.LikelyBy, b.Forecast?.LikelyBy) is var late and not 0 ? late : LatestFirst(a.Forecast?.LikelyFrom, b.Forecast?.LikelyFrom),
            _ => b.DaysDelayed.CompareTo(a.DaysDelayed),
        };
        return first != 0 ? first : string.CompareOrdinal(a.ChildId, b.ChildId);
    }

    private static int Descending(int a1, int b1, int a2, int b2) => b1 != a1 ? b1.CompareTo(a1) : b2.CompareTo(a2);

    private static int LatestFirst(DateOnly? a, DateOnly? b) => (a, b) switch
    {
        (null, null) => 0,
        (null, _) => 1,
        (_, null) => -1,
        _ => b.Value.CompareTo(a.Value),
    };

    private static int? Whole(string? text) =>
        text is { Length: > 0 and <= 9 } && text.All(char.IsAsciiDigit) ? int.Parse(text, CultureInfo.InvariantCulture) : null;
}
