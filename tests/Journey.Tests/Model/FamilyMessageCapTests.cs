using CareTwin.Journey.Decisions;
using CareTwin.Journey.Family;
using CareTwin.Journey.Services;
using CareTwin.Journey.Transitions;
using CareTwin.Journey.Validation;
using static CareTwin.Journey.Tests.Model.ModelFixtures;

namespace CareTwin.Journey.Tests.Model;

/// <summary>The daily caps on family notes and concerns per child (<see cref="JourneyLimits"/>), counted by UK day.</summary>
public class FamilyMessageCapTests
{
    private const string NoteCapMessage =
        "The team has had 20 messages from your family today, the most one day allows. You can send more tomorrow; for anything urgent, phone the ward.";

    private const string ConcernCapMessage =
        "The team has had 10 worries from your family today, the most one day allows. Please phone the ward about anything else that worries you.";

    private static JourneyDriver Child(DateTimeOffset now)
    {
        var driver = new JourneyDriver(now).InHospital(HospitalDischargeStages.MedicallyOptimised);
        return driver;
    }

    [Fact]
    public void The_defaults_are_twenty_notes_and_ten_concerns_a_day()
    {
        Assert.Equal((20, 10), (JourneyLimits.Default.FamilyNotesPerDay, JourneyLimits.Default.FamilyConcernsPerDay));
        Assert.Same(JourneyLimits.Default, new DecisionContext(Start, Agencies).Limits);
    }

    [Fact]
    public void The_twenty_first_note_of_a_day_is_refused_with_a_message_for_the_family_and_nothing_changes()
    {
        var driver = Child(London(2025, 6, 2, 8, 0));
        for (var i = 1; i <= 20; i++)
        {
            var text = $"Note {i}";
            driver.Do(o => new AddFamilyNote(o, text), Parent);
            driver.Now = driver.Now.AddMinutes(30);
        }

        var refusal = driver.Refuse(o => new AddFamilyNote(o, "One more thing."), RefusalKind.FailedPrecondition, "text", Parent);
        Assert.Equal(NoteCapMessage, refusal.Message);
        // Checked before the text: a family at the cap is not asked to correct a message that could not be sent.
        Assert.Equal(NoteCapMessage, driver.Refuse(o => new AddFamilyNote(o, ""), RefusalKind.FailedPrecondition, "text", Parent).Message);
        Assert.Equal(20, driver.State.FamilyMessages.Length);

        // Concerns have their own allowance.
        driver.Do<FamilyConcernFlagged>(o => new FlagConcern(o, "Nobody has called about the flat."), Parent);
    }

    [Fact]
    public void The_eleventh_concern_of_a_day_is_refused_and_notes_still_go_through()
    {
        var driver = Child(London(2025, 6, 2, 8, 0));
        for (var i = 1; i <= 10; i++)
        {
            var text = $"Worry {i}";
            driver.Do(o => new FlagConcern(o, text), Parent);
        }

        var refusal = driver.Refuse(o => new FlagConcern(o, "Another worry."), RefusalKind.FailedPrecondition, "text", Parent);
        Assert.Equal(ConcernCapMessage, refusal.Message);
        driver.Do<FamilyNoteAdded>(o => new AddFamilyNote(o, "She loves music."), Parent);
    }

    [Fact]
    public void A_message_sent_again_after_the_cap_is_reached_still_answers_as_a_duplicate()
    {
        var driver = Child(London(2025, 6, 2, 8, 0));
        driver.Limits = new JourneyLimits { FamilyNotesPerDay = 2 };
        var first = new AddFamilyNote(driver.NextOrigin(Parent), "First");
        Assert.IsType<Decision.Accepted>(driver.Send(first));
        driver.Do(o => new AddFamilyNote(o, "Second"), Parent);

        // A page that lost its connection sends the first again with the same request id: it is recorded, not refused.
        var again = Assert.IsType<Decision.Duplicate>(driver.Send(first));
        Assert.Equal(first.Origin.ExternalId, again.ExternalId);
        driver.Refuse(o => new AddFamilyNote(o, "Third"), RefusalKind.FailedPrecondition, "text", Parent);
    }

    [Fact]
    public void The_allowance_starts_again_at_london_midnight_in_summer_time_not_at_utc_midnight()
    {
        // 23:10 BST on 2 June is 22:10 UTC; 00:10 BST on 3 June is still 2 June in UTC.
        var driver = Child(London(2025, 6, 2, 23, 10));
        driver.Limits = new JourneyLimits { FamilyNotesPerDay = 3, FamilyConcernsPerDay = 1 };
        for (var i = 0; i < 3; i++) driver.Do(o => new AddFamilyNote(o, "Late"), Parent);
        driver.Do(o => new FlagConcern(o, "Late worry"), Parent);

        driver.Now = London(2025, 6, 2, 23, 59);
        var refusal = driver.Refuse(o => new AddFamilyNote(o, "Still today"), RefusalKind.FailedPrecondition, "text", Parent);
        Assert.StartsWith("The team has had 3 messages from your family today", refusal.Message);
        Assert.StartsWith("The team has had 1 worry from your family today",
            driver.Refuse(o => new FlagConcern(o, "Still today"), RefusalKind.FailedPrecondition, "text", Parent).Message);

        driver.Now = London(2025, 6, 3, 0, 10);
        Assert.Equal(new DateOnly(2025, 6, 2), DateOnly.FromDateTime(driver.Now.UtcDateTime));
        for (var i = 0; i < 3; i++) driver.Do(o => new AddFamilyNote(o, "New day"), Parent);
        driver.Do(o => new FlagConcern(o, "New day worry"), Parent);
        driver.Refuse(o => new AddFamilyNote(o, "Fourth today"), RefusalKind.FailedPrecondition, "text", Parent);
    }

    [Fact]
    public void In_winter_the_day_also_ends_at_london_midnight()
    {
        // GMT: London midnight is UTC midnight; a day after the October clock change has 25 hours but is one day.
        var driver = Child(London(2025, 10, 26, 0, 30));
        driver.Limits = new JourneyLimits { FamilyNotesPerDay = 1 };
        driver.Do(o => new AddFamilyNote(o, "Just after midnight, still in summer time"), Parent);
        driver.Now = London(2025, 10, 26, 23, 30);
        driver.Refuse(o => new AddFamilyNote(o, "Late on the long day"), RefusalKind.FailedPrecondition, "text", Parent);
        driver.Now = London(2025, 10, 27, 0, 0);
        driver.Do(o => new AddFamilyNote(o, "The next day"), Parent);
    }

    [Fact]
    public void The_caps_come_from_the_context_a_host_builds_from_its_clock_and_settings()
    {
        var driver = Child(London(2025, 6, 2, 9, 0));
        var limits = new JourneyLimits { FamilyNotesPerDay = 1 };
        var context = DecisionContext.From(new FixedClock(driver.Now), Agencies, limits);
        Assert.Same(limits, context.Limits);
        var (first, state) = JourneyDecider.Handle(driver.State, new AddFamilyNote(driver.NextOrigin(Parent), "One"), context);
        Assert.IsType<Decision.Accepted>(first);
        var second = Assert.IsType<Decision.Refused>(JourneyDecider.Decide(state, new AddFamilyNote(driver.NextOrigin(Parent), "Two"), context));
        Assert.Equal("The team has had 1 message from your family today, the most one day allows. You can send more tomorrow; for anything urgent, phone the ward.",
            second.Refusal.Message);
        Assert.Same(JourneyLimits.Default, DecisionContext.From(new FixedClock(driver.Now), ServiceDirectory.Empty).Limits);
    }

    [Theory]
    [InlineData(0, 10, "Journey:FamilyNotesPerDay is 0; it must be from 1 to 1000.")]
    [InlineData(20, 1001, "Journey:FamilyConcernsPerDay is 1001; it must be from 1 to 1000.")]
    public void Settings_outside_their_range_are_named(int notes, int concerns, string problem)
    {
        Assert.Equal([problem], new JourneyLimits { FamilyNotesPerDay = notes, FamilyConcernsPerDay = concerns }.Problems("Journey"));
        Assert.Empty(JourneyLimits.Default.Problems("Journey"));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
