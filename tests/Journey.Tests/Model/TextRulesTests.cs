using CareTwin.Journey.Blockers;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Children;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Family;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Validation;

namespace CareTwin.Journey.Tests.Model;

public class TextRulesTests
{
    private static RaiseBlocker Raise(CommandOrigin o, string professional, string? family = null, string? namedOwner = null) =>
        new(o, "transition-1", BlockerCategory.Equipment, "health.equipment.newham", namedOwner, professional, family,
            UkCalendar.DateOf(ModelFixtures.Start).AddDays(10));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\n\t ")]
    public void Blank_professional_text_is_refused(string text)
    {
        var driver = new JourneyDriver().InHospital();
        driver.Refuse(o => Raise(o, text), RefusalKind.InvalidArgument, "professionalText");
        Assert.Empty(driver.State.Blockers);
    }

    [Fact]
    public void Professional_text_is_limited_to_2000_characters()
    {
        var driver = new JourneyDriver().InHospital();
        var refusal = driver.Refuse(o => Raise(o, new string('x', InputLimits.ProfessionalTextLength + 1)), RefusalKind.InvalidArgument, "professionalText");
        Assert.Contains("2000", refusal.Message);
        driver.Do(o => Raise(o, new string('x', InputLimits.ProfessionalTextLength)));
    }

    [Fact]
    public void Family_text_is_limited_to_1000_characters()
    {
        var driver = new JourneyDriver().InHospital();
        driver.Refuse(o => Raise(o, "ok", family: new string('y', InputLimits.FamilyTextLength + 1)), RefusalKind.InvalidArgument, "familyText");
        driver.Refuse(o => new AddFamilyNote(o, new string('y', InputLimits.FamilyTextLength + 1)), RefusalKind.InvalidArgument, "text");
        driver.Do(o => new AddFamilyNote(o, new string('y', InputLimits.FamilyTextLength)));
    }

    [Fact]
    public void Names_are_limited_to_200_characters()
    {
        var driver = new JourneyDriver();
        driver.Refuse(o => new RegisterChild(o, "child-1", ModelFixtures.ValidNhsNumber, new string('A', InputLimits.NameLength + 1), "Okonkwo",
            new DateOnly(2021, 1, 1), "royal-thamesbank", "north-thames", []), RefusalKind.InvalidArgument, "givenName");
        driver.InHospital();
        driver.Refuse(o => Raise(o, "ok", namedOwner: new string('B', InputLimits.NameLength + 1)), RefusalKind.InvalidArgument, "namedOwner");
    }

    [Theory]
    [InlineData("Bell\u0007")]
    [InlineData("Null\u0000byte")]
    [InlineData("Escape \u001b[31m red")]
    [InlineData("Reversed \u202Etxet")]
    [InlineData("Isolate \u2066x\u2069")]
    public void Control_and_direction_override_characters_are_refused(string text)
    {
        var driver = new JourneyDriver().InHospital();
        var refusal = driver.Refuse(o => Raise(o, text), RefusalKind.InvalidArgument, "professionalText");
        Assert.Contains("control character", refusal.Message);
    }

    [Fact]
    public void Line_breaks_are_allowed_in_long_text_but_not_in_names()
    {
        var driver = new JourneyDriver().InHospital();
        driver.Do(o => Raise(o, "Line one\r\nLine two\n\tindented", family: "First\nSecond"));
        driver.Refuse(o => Raise(o, "ok", namedOwner: "Callum\nReid"), RefusalKind.InvalidArgument, "namedOwner");
    }

    [Fact]
    public void Surrounding_whitespace_is_trimmed_from_stored_text()
    {
        var driver = new JourneyDriver().InHospital();
        driver.Do(o => Raise(o, "  Hoist on order.  ", family: " A hoist is coming. "));
        var blocker = Assert.Single(driver.State.Blockers);
        Assert.Equal(("Hoist on order.", "A hoist is coming."), (blocker.ProfessionalText, blocker.FamilyText));
    }
}
