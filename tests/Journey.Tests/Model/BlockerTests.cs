using CareTwin.Journey.Blockers;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Escalations;
using CareTwin.Journey.Services;
using CareTwin.Journey.Transitions;
using static CareTwin.Journey.Tests.Model.ModelFixtures;

namespace CareTwin.Journey.Tests.Model;

public class BlockerTests
{
    private static JourneyDriver Optimised() => new JourneyDriver().InHospital(HospitalDischargeStages.MedicallyOptimised);

    [Fact]
    public void Raising_a_blocker_records_owner_texts_target_and_the_owning_service_s_SLA()
    {
        var driver = Optimised();
        var id = driver.RaiseBlocker(BlockerCategory.HousingAdaptation, "housing.newham", targetInDays: 90);
        var other = driver.RaiseBlocker(BlockerCategory.FamilyChoice, "housing.newham");

        var blocker = driver.Blocker(id);
        var today = UkCalendar.DateOf(driver.Now);
        Assert.Equal(("blocker-1", "blocker-2"), (id, other));
        Assert.Equal((BlockerStatus.Open, ServiceKey.Parse("housing.newham"), "Callum Reid"), (blocker.Status, blocker.OwningService, blocker.NamedOwner));
        Assert.Equal(today.AddDays(90), blocker.TargetDate);
        Assert.Equal(today.AddDays(30), blocker.SlaDueDate); // housing adaptation SLA
        Assert.Equal(today.AddDays(20), driver.Blocker(other).SlaDueDate); // the service's default SLA
        Assert.False(blocker.Sensitive);
        Assert.Equal(0, blocker.EscalationLevel);
    }

    [Theory]
    [InlineData("housing.hackney", "not a known service")]
    [InlineData("Housing Newham", "service key like")]
    [InlineData("housing", "service key like")]
    [InlineData("", "service key like")]
    public void An_unknown_or_malformed_service_is_refused(string owner, string messageContains)
    {
        var driver = Optimised();
        var refusal = driver.Refuse(o => new RaiseBlocker(o, "transition-1", BlockerCategory.HousingAdaptation, owner, null, "x", null,
            UkCalendar.DateOf(driver.Now).AddDays(5)), RefusalKind.InvalidArgument, "owningService");
        Assert.Contains(messageContains, refusal.Message);
    }

    [Fact]
    public void A_target_date_in_the_past_is_refused_by_the_UK_calendar()
    {
        // 00:30 BST on 3 June: UTC still says 2 June, but in the UK 2 June is already yesterday.
        var driver = new JourneyDriver(London(2025, 6, 2, 9)).InHospital();
        driver.Now = London(2025, 6, 3, 0, 30);
        driver.Refuse(o => new RaiseBlocker(o, "transition-1", BlockerCategory.Equipment, "health.equipment.newham", null, "x", null,
            new DateOnly(2025, 6, 2)), RefusalKind.InvalidArgument, "targetDate");
        driver.Do(o => new RaiseBlocker(o, "transition-1", BlockerCategory.Equipment, "health.equipment.newham", null, "x", null,
            new DateOnly(2025, 6, 3)));
        driver.Refuse(o => new UpdateBlockerProgress(o, "blocker-1", TargetDate: new DateOnly(2025, 6, 1)), RefusalKind.InvalidArgument, "targetDate");
    }

    [Fact]
    public void An_unknown_category_is_refused()
    {
        var driver = Optimised();
        driver.Refuse(o => new RaiseBlocker(o, "transition-1", (BlockerCategory)77, "housing.newham", null, "x", null,
            UkCalendar.DateOf(driver.Now)), RefusalKind.InvalidArgument, "category");
    }

    [Fact]
    public void Safeguarding_is_always_sensitive_and_other_blockers_can_be_made_sensitive_but_never_visible_again()
    {
        var driver = Optimised();
        var safeguarding = driver.RaiseBlocker(BlockerCategory.SocialCareSafeguarding, "social-care.newham", sensitive: false);
        var equipment = driver.RaiseBlocker(BlockerCategory.Equipment, "health.equipment.newham");
        Assert.True(driver.Blocker(safeguarding).Sensitive);
        Assert.False(driver.Blocker(equipment).Sensitive);

        driver.Do(o => new UpdateBlockerProgress(o, equipment, MarkSensitive: true));
        Assert.True(driver.Blocker(equipment).Sensitive);
        driver.Do(o => new UpdateBlockerProgress(o, equipment, Status: BlockerStatus.InProgress));
        Assert.True(driver.Blocker(equipment).Sensitive);
    }

    [Fact]
    public void Progress_updates_change_only_what_they_give()
    {
        var driver = Optimised();
        var id = driver.RaiseBlocker();
        var target = UkCalendar.DateOf(driver.Now).AddDays(120);
        driver.Do(o => new UpdateBlockerProgress(o, id, BlockerStatus.InProgress, target, "Zara Hussain", "Offer made on ground-floor flat.", null));

        var blocker = driver.Blocker(id);
        Assert.Equal((BlockerStatus.InProgress, target, "Zara Hussain"), (blocker.Status, blocker.TargetDate, blocker.NamedOwner));
        Assert.Equal(("Offer made on ground-floor flat.", "Finding a home with step-free access."), (blocker.ProfessionalText, blocker.FamilyText));
        Assert.Single(blocker.Ownerships);
    }

    [Fact]
    public void Progress_updates_cannot_close_a_blocker_and_must_change_something()
    {
        var driver = Optimised();
        var id = driver.RaiseBlocker();
        driver.Refuse(o => new UpdateBlockerProgress(o, id, Status: BlockerStatus.Resolved), RefusalKind.InvalidArgument, "status");
        driver.Refuse(o => new UpdateBlockerProgress(o, id), RefusalKind.InvalidArgument, "update");
        driver.Refuse(o => new UpdateBlockerProgress(o, id, ProfessionalText: " "), RefusalKind.InvalidArgument, "professionalText");
    }

    [Fact]
    public void Reassigning_to_another_service_starts_that_service_s_SLA_and_keeps_the_history()
    {
        var driver = Optimised();
        var id = driver.RaiseBlocker(BlockerCategory.HousingAdaptation, "housing.newham");
        driver.Now = driver.Now.AddDays(5);
        driver.Do(o => new ReassignBlocker(o, id, "social-care.newham", "Chloe Hart", "Agreed at the MDT that social care leads"));

        var blocker = driver.Blocker(id);
        Assert.Equal(["housing.newham", "social-care.newham"], blocker.Ownerships.Select(x => x.Service.Value));
        Assert.Equal(("social-care.newham", "Chloe Hart", driver.Now), (blocker.OwningService.Value, blocker.NamedOwner, blocker.OwnedSince));
        Assert.Equal(UkCalendar.DateOf(driver.Now).AddDays(28), blocker.SlaDueDate);
    }

    [Fact]
    public void Reassigning_within_the_same_service_changes_the_named_owner_only()
    {
        var driver = Optimised();
        var id = driver.RaiseBlocker();
        var slaDue = driver.Blocker(id).SlaDueDate;
        driver.Now = driver.Now.AddDays(3);
        driver.Do(o => new ReassignBlocker(o, id, "housing.newham", "Zara Hussain", "Callum is on leave"));

        var blocker = driver.Blocker(id);
        Assert.Equal((1, "Zara Hussain", slaDue), (blocker.Ownerships.Length, blocker.NamedOwner, blocker.SlaDueDate));
        driver.Refuse(o => new ReassignBlocker(o, id, "housing.newham", "Zara Hussain", "again"), RefusalKind.FailedPrecondition, "owningService");
        driver.Refuse(o => new ReassignBlocker(o, id, "housing.hackney", null, "x"), RefusalKind.InvalidArgument, "owningService");
        driver.Refuse(o => new ReassignBlocker(o, id, "social-care.newham", null, ""), RefusalKind.InvalidArgument, "reason");
    }

    [Fact]
    public void Resolving_a_resolved_blocker_is_refused_not_silently_repeated()
    {
        var driver = Optimised();
        var id = driver.RaiseBlocker();
        driver.Do(o => new ResolveBlocker(o, id, "Keys handed over", "Your new home is ready."));
        var resolvedAt = driver.Blocker(id).ClosedAt;

        driver.Now = driver.Now.AddHours(2);
        var refusal = driver.Refuse(o => new ResolveBlocker(o, id), RefusalKind.FailedPrecondition, "blockerId");
        Assert.Contains("already resolved", refusal.Message);
        driver.Refuse(o => new CancelBlocker(o, id, "x"), RefusalKind.FailedPrecondition, "blockerId");
        driver.Refuse(o => new UpdateBlockerProgress(o, id, Status: BlockerStatus.InProgress), RefusalKind.FailedPrecondition, "blockerId");
        driver.Refuse(o => new EscalateBlocker(o, id, "late"), RefusalKind.FailedPrecondition, "blockerId");

        var blocker = driver.Blocker(id);
        Assert.Equal((BlockerStatus.Resolved, resolvedAt, "Your new home is ready."), (blocker.Status, blocker.ClosedAt, blocker.FamilyText));
    }

    [Fact]
    public void Cancelling_needs_a_reason()
    {
        var driver = Optimised();
        var id = driver.RaiseBlocker();
        driver.Refuse(o => new CancelBlocker(o, id, "  "), RefusalKind.InvalidArgument, "reason");
        driver.Do(o => new CancelBlocker(o, id, "Raised twice by mistake"));
        Assert.Equal(BlockerStatus.Cancelled, driver.Blocker(id).Status);
    }

    [Fact]
    public void Blocker_age_counts_UK_days_and_stops_when_closed()
    {
        var driver = new JourneyDriver(London(2025, 3, 28, 16)).InHospital();
        var id = driver.RaiseBlocker();
        Assert.Equal(0, BlockerClock.AgeDays(driver.Blocker(id), London(2025, 3, 28, 23, 59)));
        Assert.Equal(3, BlockerClock.AgeDays(driver.Blocker(id), London(2025, 3, 31, 0, 10)));

        driver.Now = London(2025, 4, 7, 12);
        driver.Do(o => new ResolveBlocker(o, id));
        Assert.Equal(10, BlockerClock.AgeDays(driver.Blocker(id), London(2025, 6, 1)));
    }

    [Fact]
    public void The_SLA_is_breached_from_London_midnight_after_the_due_date_even_across_the_clock_change()
    {
        // Raised 20 March (GMT); the equipment SLA is 10 days, so due 30 March, the day clocks go forward.
        var driver = new JourneyDriver(London(2025, 3, 20, 11)).InHospital();
        var id = driver.RaiseBlocker(BlockerCategory.Equipment, "health.equipment.newham");
        var blocker = driver.Blocker(id);

        Assert.Equal(new DateOnly(2025, 3, 30), blocker.SlaDueDate);
        Assert.Equal(DateTimeOffset.Parse("2025-03-30T23:00:00Z"), BlockerClock.SlaBreachesAt(blocker));
        Assert.False(BlockerClock.IsSlaBreached(blocker, London(2025, 3, 30, 23, 59)));
        Assert.True(BlockerClock.IsSlaBreached(blocker, London(2025, 3, 31, 0, 1)));
        Assert.Equal(2, BlockerClock.DaysOverSla(blocker, London(2025, 4, 1, 9)));
    }

    [Fact]
    public void A_blocker_resolved_after_its_SLA_stays_a_breach()
    {
        var driver = new JourneyDriver(London(2025, 5, 1)).InHospital();
        var onTime = driver.RaiseBlocker(BlockerCategory.Equipment, "health.equipment.newham");
        var late = driver.RaiseBlocker(BlockerCategory.Equipment, "health.equipment.newham");
        driver.Now = London(2025, 5, 11, 17);
        driver.Do(o => new ResolveBlocker(o, onTime));
        driver.Now = London(2025, 5, 14);
        driver.Do(o => new ResolveBlocker(o, late));

        var later = London(2025, 7, 1);
        Assert.False(BlockerClock.IsSlaBreached(driver.Blocker(onTime), later));
        Assert.Equal(3, BlockerClock.DaysOverSla(driver.Blocker(late), later));
    }
}
