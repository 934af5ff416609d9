using CareTwin.Journey.Blockers;
using CareTwin.Journey.Delays;
using CareTwin.Journey.Services;
using static CareTwin.Journey.Transitions.HospitalDischargeStages;
using static CareTwin.Journey.Tests.Model.ModelFixtures;

namespace CareTwin.Journey.Tests.Model;

public class LeadTimeTests
{
    internal static (int, int, int, LeadTimeBasis) Summary(LeadTime leadTime) => (leadTime.MedianDays, leadTime.Likely80Days, leadTime.Samples, leadTime.Basis);

    private static IEnumerable<LeadTimeSample> Samples(string service, BlockerCategory category, params int[] days) =>
        days.Select(d => new LeadTimeSample(ServiceKey.Parse(service), category, d));

    [Fact]
    public void A_service_s_own_record_is_used_once_it_has_enough_resolved_blockers_else_the_category_else_all_else_the_default()
    {
        var leadTimes = LeadTimes.Learn(
            Samples("housing.newham", BlockerCategory.HousingAdaptation, 50, 30, 40, 30, 30)
            .Concat(Samples("housing.eastmarsh", BlockerCategory.HousingAdaptation, 90, 90, 90, 90)));

        // Nearest rank of five: the median is the 3rd (30), the 80th percentile the 4th (40).
        Assert.Equal((30, 40, 5, LeadTimeBasis.ServiceAndCategory), Summary(leadTimes.For(ServiceKey.Parse("housing.newham"), BlockerCategory.HousingAdaptation)));
        // Four of its own are too few to trust: the category across services (nine: the 5th is 50, the 8th 90).
        Assert.Equal((50, 90, 9, LeadTimeBasis.Category), Summary(leadTimes.For(ServiceKey.Parse("housing.eastmarsh"), BlockerCategory.HousingAdaptation)));
        // No equipment blockers resolved: all nine blockers.
        Assert.Equal(LeadTimeBasis.AllBlockers, leadTimes.For(ServiceKey.Parse("health.equipment.newham"), BlockerCategory.Equipment).Basis);
        Assert.Equal(LeadTimes.Default, LeadTimes.None.For(ServiceKey.Parse("housing.newham"), BlockerCategory.HousingAdaptation));
    }

    [Fact]
    public void Only_resolved_blockers_teach_lead_times_in_UK_days_owned_by_the_service_that_resolved_them()
    {
        var driver = new JourneyDriver(London(2025, 5, 1)).InHospital(MedicallyOptimised);
        var hoist = driver.RaiseBlocker(BlockerCategory.Equipment, "health.equipment.newham");
        var housing = driver.RaiseBlocker(BlockerCategory.HousingAdaptation, "housing.newham");
        driver.RaiseBlocker(BlockerCategory.Transport, "health.equipment.newham");
        driver.Now = London(2025, 5, 13, 18);
        driver.Do(o => new ReassignBlocker(o, housing, "social-care.newham", null, "Social care is funding the adaptation."));
        driver.Do(o => new ResolveBlocker(o, hoist));
        driver.Do(o => new ResolveBlocker(o, housing));
        driver.Do(o => new CancelBlocker(o, "blocker-3", "Not needed."));

        var samples = LeadTimeSample.Of(driver.State).ToList();
        Assert.Equal(
            [new LeadTimeSample(Equipment.Key, BlockerCategory.Equipment, 12), new LeadTimeSample(SocialCare.Key, BlockerCategory.HousingAdaptation, 12)],
            samples);
    }
}

public class ReadyForecastTests
{
    // Funding decisions take 10 days (likely within 20); care packages 14 (30); housing adaptations 30 (40).
    private static readonly LeadTimes Learned = LeadTimes.Learn(
        new[] { 10, 10, 10, 20, 20 }.Select(d => new LeadTimeSample(SocialCare.Key, BlockerCategory.FundingDecision, d))
        .Concat(new[] { 14, 14, 14, 30, 30 }.Select(d => new LeadTimeSample(SocialCare.Key, BlockerCategory.CarePackage, d)))
        .Concat(new[] { 30, 30, 30, 40, 40 }.Select(d => new LeadTimeSample(Housing.Key, BlockerCategory.HousingAdaptation, d))));

    [Fact]
    public void The_forecast_is_the_critical_path_with_learned_lead_times_and_names_the_blocker_that_drives_it()
    {
        var driver = new JourneyDriver(London(2025, 6, 2)).InHospital(MedicallyOptimised);
        driver.RaiseBlocker(BlockerCategory.HousingAdaptation, "housing.newham", targetInDays: 20);
        driver.Now = London(2025, 6, 12);
        var funding = driver.RaiseBlocker(BlockerCategory.FundingDecision, "social-care.newham", targetInDays: 5);
        var care = driver.RaiseBlocker(BlockerCategory.CarePackage, "social-care.newham", targetInDays: 7);
        driver.Do(o => new SetBlockerStartsAfter(o, care, funding));
        var transition = driver.State.Transitions[0];

        // Housing, 10 days old: 20 to 30 days to go (2 to 12 July). Funding: 22 June to 2 July. The care package
        // starts after funding: 22 June + 14 = 6 July, and 2 July + 30 = 1 August, so it drives the forecast.
        var forecast = ReadyForecaster.Forecast(driver.State, transition, driver.Now, Learned)!;
        Assert.Equal(new ReadyForecast(new DateOnly(2025, 7, 6), new DateOnly(2025, 8, 1), care), forecast);
        // The old rule trusts the targets: the housing adaptation by 22 June.
        Assert.Equal(new DateOnly(2025, 6, 22), CriticalPath.Predict(driver.State, transition, driver.Now)!.PredictedReadyDate);

        // Without the dependency the care package could start today: 26 June to 12 July, and housing drives.
        driver.Do(o => new SetBlockerStartsAfter(o, care, funding, StartsAfter: false));
        forecast = ReadyForecaster.Forecast(driver.State, transition, driver.Now, Learned)!;
        Assert.Equal(new ReadyForecast(new DateOnly(2025, 7, 2), new DateOnly(2025, 7, 12), "blocker-1"), forecast);
    }

    [Fact]
    public void A_blocker_open_longer_than_most_like_it_is_forecast_from_those_that_took_as_long()
    {
        var driver = new JourneyDriver(London(2025, 6, 2)).InHospital(MedicallyOptimised);
        var housing = driver.RaiseBlocker(BlockerCategory.HousingAdaptation, "housing.newham", targetInDays: 20);
        driver.Now = London(2025, 7, 7);

        // 35 days in: of the five like it (30, 30, 30, 40, 40 days) only the two of 40 were still open: 5 more days, not "today".
        var forecast = ReadyForecaster.Forecast(driver.State, driver.State.Transitions[0], driver.Now, Learned)!;
        Assert.Equal(new ReadyForecast(new DateOnly(2025, 7, 12), new DateOnly(2025, 7, 12), housing), forecast);
    }

    [Fact]
    public void A_resolved_prerequisite_no_longer_holds_its_dependent_back()
    {
        var driver = new JourneyDriver(London(2025, 6, 2)).InHospital(MedicallyOptimised);
        var funding = driver.RaiseBlocker(BlockerCategory.FundingDecision, "social-care.newham");
        var care = driver.RaiseBlocker(BlockerCategory.CarePackage, "social-care.newham");
        driver.Do(o => new SetBlockerStartsAfter(o, care, funding));
        driver.Now = London(2025, 6, 6);
        driver.Do(o => new ResolveBlocker(o, funding));

        // The care package could start only today, 6 June, although raised on 2 June: 14 to 30 days to go.
        var forecast = ReadyForecaster.Forecast(driver.State, driver.State.Transitions[0], driver.Now, Learned)!;
        Assert.Equal(new ReadyForecast(new DateOnly(2025, 6, 20), new DateOnly(2025, 7, 6), care), forecast);

        // Resolved on 26 June, it teaches 20 days (from 6 June), not 24 (from when it was raised).
        driver.Now = London(2025, 6, 26);
        driver.Do(o => new ResolveBlocker(o, care));
        Assert.Contains(new LeadTimeSample(SocialCare.Key, BlockerCategory.CarePackage, 20), LeadTimeSample.Of(driver.State));
    }

    [Fact]
    public void The_range_never_starts_before_today_and_with_nothing_open_the_child_is_ready_today()
    {
        var driver = new JourneyDriver(London(2025, 6, 2)).InHospital(MedicallyOptimised);
        var funding = driver.RaiseBlocker(BlockerCategory.FundingDecision, "social-care.newham");
        driver.Now = London(2025, 8, 1);

        // 60 days old, longer than funding decisions usually take: due today, and still the one to chase.
        var forecast = ReadyForecaster.Forecast(driver.State, driver.State.Transitions[0], driver.Now, Learned)!;
        Assert.Equal(new ReadyForecast(new DateOnly(2025, 8, 1), new DateOnly(2025, 8, 1), funding), forecast);

        driver.Do(o => new ResolveBlocker(o, funding));
        forecast = ReadyForecaster.Forecast(driver.State, driver.State.Transitions[0], driver.Now, Learned)!;
        Assert.Equal(new ReadyForecast(new DateOnly(2025, 8, 1), new DateOnly(2025, 8, 1), null), forecast);
    }
}

public class FamilyForecastTests
{
    private static readonly LeadTimes Learned = LeadTimes.Learn(
        new[] { 30, 30, 30, 40, 40 }.Select(d => new LeadTimeSample(Housing.Key, BlockerCategory.HousingAdaptation, d))
        .Concat(new[] { 60, 60, 60, 90, 90 }.Select(d => new LeadTimeSample(SocialCare.Key, BlockerCategory.SocialCareSafeguarding, d))));

    [Fact]
    public void The_family_reads_the_forecast_in_plain_words_and_never_the_name_of_a_sensitive_blocker()
    {
        var driver = new JourneyDriver(London(2025, 6, 2)).InHospital(MedicallyOptimised);
        var housing = driver.RaiseBlocker(BlockerCategory.HousingAdaptation, "housing.newham");

        var view = Projections.FamilyViewProjection.Build(driver.State, Agencies, driver.Now, Learned)!;
        Assert.Equal("From how long things like this usually take, we think Amelia is likely to be ready between 2 and 12 July 2025. "
            + "What will probably take longest: Finding a home with step-free access (Newham Council housing team).", view.LikelyReady);

        // Safeguarding takes longer and drives the date, which stays honest, but it is never named to the family.
        driver.RaiseBlocker(BlockerCategory.SocialCareSafeguarding, "social-care.newham", professionalText: ScenarioJourney.SafeguardingProfessionalText,
            familyText: ScenarioJourney.SafeguardingFamilyText);
        view = Projections.FamilyViewProjection.Build(driver.State, Agencies, driver.Now, Learned)!;
        Assert.Equal("From how long things like this usually take, we think Amelia is likely to be ready between 1 and 31 August 2025.", view.LikelyReady);
        var json = Json(view);
        Assert.DoesNotContain("LEAK", json);
        Assert.DoesNotContain("social care", json, StringComparison.OrdinalIgnoreCase);

        driver.Do(o => new ResolveBlocker(o, housing));
        driver.Do(o => new ResolveBlocker(o, "blocker-2"));
        Assert.Null(Projections.FamilyViewProjection.Build(driver.State, Agencies, driver.Now, Learned)!.LikelyReady);
    }
}
