using CareTwin.Journey.Blockers;
using CareTwin.Journey.Children;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Delays;
using CareTwin.Journey.Demo;
using CareTwin.Journey.Escalations;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Projections;
using CareTwin.Journey.Services;
using CareTwin.Journey.Transitions;
using static CareTwin.Journey.Tests.Model.ModelFixtures;

namespace CareTwin.Journey.Tests.Model;

public class DemoRegionTests
{
    private static readonly DateTimeOffset Now = London(2025, 11, 3, 9);

    // Generated and replayed once for the class: the replay is what the grains will do on load.
    private static readonly Lazy<(DemoRegion Region, IReadOnlyDictionary<string, ChildJourney> Children, IReadOnlyList<string> Problems)> Loaded = new(() =>
    {
        var region = DemoRegionGenerator.Generate(seed: 42, Now);
        var directory = region.ServiceDirectory();
        var children = new Dictionary<string, ChildJourney>();
        var problems = new List<string>();
        foreach (var child in region.Children)
        {
            var state = ChildJourney.Empty;
            foreach (var timed in child.Commands)
            {
                var (decision, next) = JourneyDecider.Handle(state, timed.Command, new DecisionContext(timed.At, directory));
                if (decision is not Decision.Accepted)
                    problems.Add($"{child.ChildId} {timed.At:O} {timed.Command.GetType().Name}: {decision}");
                state = next;
            }
            children[child.ChildId] = state;
        }
        return (region, children, problems);
    });

    [Fact]
    public void Every_generated_command_is_accepted_by_the_journey_rules()
    {
        Assert.Empty(Loaded.Value.Problems);
        Assert.All(Loaded.Value.Children.Values, c => Assert.True(c.IsRegistered));
    }

    [Fact]
    public void The_same_seed_gives_the_same_region_and_another_seed_another()
    {
        var again = DemoRegionGenerator.Generate(seed: 42, Now);
        Assert.Equal(Json(Loaded.Value.Region), Json(again));
        Assert.NotEqual(Json(Loaded.Value.Region.Children[0]), Json(DemoRegionGenerator.Generate(seed: 43, Now, children: 1).Children[0]));
    }

    [Fact]
    public void The_region_has_a_few_hospitals_and_about_fifteen_valid_services_across_every_agency_kind()
    {
        var region = Loaded.Value.Region;
        Assert.InRange(region.Hospitals.Length, 2, 5);
        Assert.InRange(region.Services.Length, 12, 21);
        Assert.All(region.Hospitals, h => Assert.NotNull(region.Services.WardFor(h.Key)?.Phone));
        Assert.All(region.Services, s => Assert.Null(ServiceProfileRules.Check(s)));
        Assert.Equal(Enum.GetValues<AgencyKind>().Order(), region.Services.Select(s => s.Kind).Distinct().Order());
        Assert.Equal(region.Services.Length, region.Services.Select(s => s.Key).Distinct().Count());
    }

    [Fact]
    public void A_few_hundred_children_at_every_stage_with_delays_blockers_and_appointments()
    {
        var children = Loaded.Value.Children.Values.ToList();
        Assert.Equal(DemoRegionGenerator.DefaultChildren, children.Count);
        var stages = children.GroupBy(c => c.Transitions[0].Stage).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(TransitionCatalog.HospitalDischarge.Stages, s => Assert.True(stages.GetValueOrDefault(s.Key) >= 10, $"{s.Key}: {stages.GetValueOrDefault(s.Key)}"));
        Assert.True(children.Count(c => DelayClock.DaysDelayed(c, Now) > 100) >= 30);
        var waiting = children.Where(c => c.Transitions[0].Stage is HospitalDischargeStages.MedicallyOptimised or HospitalDischargeStages.DischargePlanning).ToList();
        Assert.All(waiting, c => Assert.NotEmpty(c.ActiveBlockers("transition-1")));
        Assert.All(children.Where(c => c.Transitions[0].IsComplete), c => Assert.Empty(c.ActiveBlockers("transition-1")));
        Assert.True(children.Count(c => c.Appointments.Length >= 3) == children.Count);
        Assert.Equal(Loaded.Value.Region.Hospitals.Select(h => h.Key).Order(), children.Select(c => c.Child!.HospitalKey).Distinct().Order());
        Assert.Contains(children, c => c.Transitions.Length == 2);
        Assert.Contains(children, c => c.Blockers.Any(b => b.Escalations.Length > 0));
        Assert.Contains(children, c => c.Blockers.Any(b => b.Ownerships.Length > 1));
    }

    [Fact]
    public void NHS_numbers_are_distinct_valid_numbers_from_the_999_test_range()
    {
        var numbers = Loaded.Value.Children.Values.Select(c => c.Child!.NhsNumber.Digits).ToList();
        Assert.All(numbers, n => Assert.StartsWith("999", n));
        Assert.All(numbers, n => Assert.True(NhsNumber.TryParse(n, out _, out _)));
        Assert.Equal(numbers.Count, numbers.Distinct().Count());
    }

    [Fact]
    public void Safeguarding_blockers_exist_and_stay_out_of_every_family_view()
    {
        var region = Loaded.Value.Region;
        var withSafeguarding = Loaded.Value.Children.Values
            .Where(c => c.Blockers.Any(b => b.Category == BlockerCategory.SocialCareSafeguarding)).ToList();
        Assert.NotEmpty(withSafeguarding);
        foreach (var child in withSafeguarding)
        {
            var json = Json(FamilyViewProjection.Build(child, region.ServiceDirectory(), Now));
            foreach (var blocker in child.Blockers.Where(b => b.Sensitive))
                Assert.DoesNotContain(blocker.ProfessionalText, json);
            Assert.All(child.Blockers.Where(b => b.Category == BlockerCategory.SocialCareSafeguarding), b => Assert.True(b.Sensitive));
        }
    }

    [Fact]
    public void Commands_are_in_time_order_and_none_is_in_the_future()
    {
        foreach (var child in Loaded.Value.Region.Children)
        {
            Assert.True(child.Commands.Zip(child.Commands.Skip(1)).All(p => p.First.At <= p.Second.At), child.ChildId);
            Assert.All(child.Commands, c => Assert.True(c.At <= Now));
            Assert.IsType<RegisterChild>(child.Commands[0].Command);
        }
    }

    [Fact]
    public void The_loaded_region_has_escalations_due_so_the_board_moves_once_the_clock_runs()
    {
        var due = Loaded.Value.Children.Values.Sum(c => EscalationSchedule.DueCommands(c, Now).Length);
        Assert.True(due > 0);
        var summary = BoardSummary.Of(Loaded.Value.Children.Values.Select(c => BoardRowProjection.Build(c, Now)!));
        // Some of the region's children have gone home: they are off the live list (and its totals), not off the board.
        Assert.Equal(DemoRegionGenerator.DefaultChildren, summary.Children + summary.Discharged);
        Assert.InRange(summary.Discharged, 1, DemoRegionGenerator.DefaultChildren / 4);
        Assert.True(summary.SlaBreaches > 0);
        Assert.True(summary.DelayDaysByService.Count >= 8);
    }
}
