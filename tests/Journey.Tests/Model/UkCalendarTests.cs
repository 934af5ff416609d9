using CareTwin.Journey.Calendar;

namespace CareTwin.Journey.Tests.Model;

public class UkCalendarTests
{
    [Theory]
    [InlineData("2025-03-30T00:30:00Z", "2025-03-30")] // GMT: UTC date is the UK date
    [InlineData("2025-06-02T23:30:00Z", "2025-06-03")] // BST: 00:30 the next UK day
    [InlineData("2025-10-25T23:30:00Z", "2025-10-26")] // still BST until 01:00 UTC on 26 October
    [InlineData("2025-10-26T23:30:00Z", "2025-10-26")] // GMT again
    public void The_UK_date_of_an_instant_follows_British_Summer_Time(string instant, string date)
    {
        Assert.Equal(DateOnly.Parse(date), UkCalendar.DateOf(DateTimeOffset.Parse(instant)));
    }

    [Fact]
    public void A_UK_day_starts_at_local_midnight_in_either_offset()
    {
        Assert.Equal(DateTimeOffset.Parse("2025-01-15T00:00:00Z"), UkCalendar.StartOf(new DateOnly(2025, 1, 15)));
        Assert.Equal(DateTimeOffset.Parse("2025-07-15T00:00:00+01:00"), UkCalendar.StartOf(new DateOnly(2025, 7, 15)));
        // The day the clocks go back lasts 25 hours; the day they go forward 23.
        Assert.Equal(TimeSpan.FromHours(25), UkCalendar.StartOf(new DateOnly(2025, 10, 27)) - UkCalendar.StartOf(new DateOnly(2025, 10, 26)));
        Assert.Equal(TimeSpan.FromHours(23), UkCalendar.StartOf(new DateOnly(2025, 3, 31)) - UkCalendar.StartOf(new DateOnly(2025, 3, 30)));
    }
}
