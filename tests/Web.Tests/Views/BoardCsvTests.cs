using System.Collections.Immutable;
using System.Text;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Children;
using CareTwin.Journey.Projections;
using CareTwin.Journey.Services;
using CareTwin.Journey.Transitions;
using CareTwin.Web.Views;

namespace CareTwin.Web.Tests.Views;

public sealed class BoardCsvTests
{
    [Fact]
    public void Rows_are_written_in_words_with_uk_dates_quoted_where_needed_and_never_as_formulas()
    {
        Assert.True(NhsNumber.TryParse("943 476 5919", out var nhs, out _));
        var row = new BoardRow("c-1", "=HYPERLINK(\"x\") A.", "royal-thamesbank", "north-thames", TransitionKind.HospitalDischarge, HospitalDischargeStages.DischargePlanning,
            new DateOnly(2026, 1, 2), 337, new DateOnly(2027, 3, 4), null,
            ImmutableDictionary<BlockerCategory, int>.Empty.Add(BlockerCategory.Equipment, 2).Add(BlockerCategory.HousingAdaptation, 1),
            ImmutableDictionary<ServiceKey, int>.Empty.Add(ServiceKey.Parse("housing.newham"), 1), 2, 1, 1,
            ImmutableDictionary<ServiceKey, decimal>.Empty, ImmutableDictionary<BlockerCategory, decimal>.Empty, 0, 0, DateTimeOffset.UnixEpoch,
            NhsNumber: nhs, DateOfBirth: new DateOnly(2019, 11, 30), Forecast: new(new DateOnly(2027, 1, 15), new DateOnly(2027, 2, 26), "blocker-1"));
        var text = Encoding.UTF8.GetString(BoardCsv.Write(BoardList.Live, [row], new Dictionary<string, string> { ["housing.newham"] = "Newham, housing" },
            new Dictionary<string, string> { ["royal-thamesbank"] = "Royal Thamesbank" }));
        var lines = text.TrimStart('\uFEFF').Split("\r\n");
        Assert.Equal("\"'=HYPERLINK(\"\"x\"\") A.\",943 476 5919,30/11/2019,Royal Thamesbank,Discharge planning,02/01/2026,337,Equipment ×2; Housing / home adaptation,\"Newham, housing\",Level 2,1,1,04/03/2027,15/01/2027,26/02/2027", lines[1]);
        Assert.Equal("", lines[2]);
        Assert.Equal("royal-thamesbank-recently-discharged-2026-12-05.csv", BoardCsv.FileName("royal-thamesbank", BoardList.RecentlyDischarged, new DateOnly(2026, 12, 5)));
    }
}
