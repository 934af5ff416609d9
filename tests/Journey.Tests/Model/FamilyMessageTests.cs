using CareTwin.Journey.Blockers;
using CareTwin.Journey.Children;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Family;
using CareTwin.Journey.Services;
using CareTwin.Journey.Transitions;
using static CareTwin.Journey.Tests.Model.ModelFixtures;

namespace CareTwin.Journey.Tests.Model;

public class FamilyMessageTests
{
    [Fact]
    public void A_family_adds_notes_and_flags_concerns_in_their_own_words()
    {
        var driver = new JourneyDriver().InHospital(HospitalDischargeStages.MedicallyOptimised);
        var housing = driver.RaiseBlocker();
        driver.Do(o => new AddFamilyNote(o, "  She loves music.  "), Parent);
        var concern = driver.Do<FamilyConcernFlagged>(o => new FlagConcern(o, "Nobody has called about the flat.", housing), Parent);

        Assert.Equal(("message-2", housing, Parent), (concern.MessageId, concern.BlockerId, concern.Provenance.Actor));
        Assert.Equal([("She loves music.", FamilyMessageKind.Note), ("Nobody has called about the flat.", FamilyMessageKind.Concern)],
            driver.State.FamilyMessages.Select(m => (m.Text, m.Kind)));
    }

    [Fact]
    public void A_concern_cannot_point_at_an_unknown_or_a_sensitive_blocker()
    {
        var driver = new JourneyDriver().InHospital(HospitalDischargeStages.MedicallyOptimised);
        var safeguarding = driver.RaiseBlocker(BlockerCategory.SocialCareSafeguarding, "social-care.newham");
        driver.Refuse(o => new FlagConcern(o, "Worried", "blocker-9"), RefusalKind.NotFound, "blockerId", Parent);
        // Refused exactly as if it did not exist, so the family learns nothing about it.
        var hidden = driver.Refuse(o => new FlagConcern(o, "Worried", safeguarding), RefusalKind.NotFound, "blockerId", Parent);
        Assert.Equal($"No blocker '{safeguarding}' for this child.", hidden.Message);
        driver.Refuse(o => new AddFamilyNote(o, ""), RefusalKind.InvalidArgument, "text", Parent);
    }
}

public class DecisionContextTests
{
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Fact]
    public void Decisions_take_the_time_from_an_injected_clock()
    {
        var at = London(2025, 10, 26, 0, 30); // BST until 01:00 UTC: still 26 October in the UK
        var context = DecisionContext.From(new FixedClock(at), ServiceDirectory.Empty);
        Assert.Equal((at, new DateOnly(2025, 10, 26)), (context.Now, context.Today));

        var driver = new JourneyDriver(at);
        var (decision, _) = JourneyDecider.Handle(driver.State, new RegisterChild(driver.NextOrigin(), "child-1", ValidNhsNumber,
            "Amelia", "Okonkwo", new DateOnly(2021, 1, 1), "royal-thamesbank", "north-thames", []), context);
        Assert.Equal(at, Assert.Single(decision.EventsToAppend).Provenance.At);
    }
}
