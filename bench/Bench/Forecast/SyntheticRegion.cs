using System.Collections.Immutable;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Children;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Demo;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Services;
using CareTwin.Journey.Transitions;

namespace CareTwin.Bench.Forecast;

/// <summary>How long one agency really takes over one kind of blocker (the ground truth the forecast should learn).</summary>
internal sealed record TrueDuration(string Service, BlockerCategory Category, int MedianDays);

/// <summary>
/// A region whose truth is known: every blocker's duration is drawn around its agency's true median for its
/// category, its target is set optimistically at <see cref="TargetBias"/> of that median, and a care package starts
/// after the funding decision. Children are admitted over two years and every blocker is eventually resolved.
/// </summary>
internal static class SyntheticRegion
{
    public const double TargetBias = 0.6;
    public const double Spread = 0.35;

    public static ImmutableArray<TrueDuration> Truths { get; } =
    [
        new(DemoAgencies.Housing("eastmarsh"), BlockerCategory.HousingAdaptation, 45),
        new(DemoAgencies.Housing("riverside"), BlockerCategory.HousingAdaptation, 75),
        new(DemoAgencies.Housing("northfield"), BlockerCategory.HousingAdaptation, 110),
        new(DemoAgencies.ContinuingCare, BlockerCategory.FundingDecision, 28),
        new(DemoAgencies.CareAgency, BlockerCategory.CarePackage, 40),
        new(DemoAgencies.Equipment, BlockerCategory.Equipment, 14),
        new(DemoAgencies.CommunityNursing("eastmarsh"), BlockerCategory.CarerTraining, 18),
        new(DemoAgencies.Transport, BlockerCategory.Transport, 7),
    ];

    private static readonly Actor Coordinator = new("coordinator.royal-thamesbank", "Priya Shah", ActorRole.Coordinator);

    public static (ImmutableArray<ImmutableArray<TimedCommand>> Children, IServiceDirectory Directory) Generate(int seed, int children)
    {
        var rng = new Random(seed);
        var start = new DateTimeOffset(2024, 1, 8, 9, 0, 0, TimeSpan.Zero);
        var housing = Truths.Where(t => t.Category == BlockerCategory.HousingAdaptation).ToArray();
        var others = new[] { BlockerCategory.Equipment, BlockerCategory.CarerTraining, BlockerCategory.Transport };
        var result = ImmutableArray.CreateBuilder<ImmutableArray<TimedCommand>>(children);
        for (var c = 0; c < children; c++)
        {
            var childId = $"synthetic-{c + 1:D4}";
            var commands = new List<TimedCommand>();
            var sequence = 0;
            void Add(DateTimeOffset at, Func<CommandOrigin, JourneyCommand> make) =>
                commands.Add(new TimedCommand(at, make(new CommandOrigin(Coordinator, "caretwin.web", $"{childId}-{++sequence}"))));

            var admitted = start + TimeSpan.FromDays(rng.Next(0, 730)) + TimeSpan.FromMinutes(rng.Next(0, 480));
            Add(admitted, o => new RegisterChild(o, childId, "943 476 5919", "Sam", "Synthetic", new DateOnly(2020, 1, 1), "royal-thamesbank",
                DemoAgencies.RegionKey, [new CareTeamMember("Priya Shah", "Discharge coordinator")]));
            Add(admitted.AddMinutes(1), o => new StartTransition(o, TransitionKind.HospitalDischarge));

            // The blockers this child's discharge waits on: (truth, raised, starts after #, resolved).
            var plan = new List<(TrueDuration Truth, DateTimeOffset Raised, int? After)>();
            var raisedAt = admitted + TimeSpan.FromDays(rng.Next(1, 6));
            if (rng.NextDouble() < 0.6) plan.Add((housing[rng.Next(housing.Length)], raisedAt, null));
            if (rng.NextDouble() < 0.5)
            {
                plan.Add((Truth(BlockerCategory.FundingDecision), raisedAt.AddHours(1), null));
                plan.Add((Truth(BlockerCategory.CarePackage), raisedAt.AddHours(2), plan.Count - 1));
            }
            foreach (var category in others.Where(_ => rng.NextDouble() < 0.5))
                plan.Add((Truth(category), raisedAt.AddHours(3 + plan.Count) + TimeSpan.FromDays(rng.Next(0, 20)), null));
            if (plan.Count == 0) plan.Add((Truth(BlockerCategory.Equipment), raisedAt, null));
            plan = [.. plan.OrderBy(p => p.Raised)];

            var resolved = new DateTimeOffset[plan.Count];
            for (var b = 0; b < plan.Count; b++)
            {
                var (truth, raised, after) = plan[b];
                var from = after is { } a && resolved[a] > raised ? resolved[a] : raised;
                var days = Math.Max(1, (int)Math.Round(truth.MedianDays * Math.Exp(Spread * Normal(rng))));
                resolved[b] = from + TimeSpan.FromDays(days) + TimeSpan.FromMinutes(rng.Next(0, 240));
                var target = UkCalendar.DateOf(raised).AddDays(Math.Max(1, (int)Math.Round(truth.MedianDays * TargetBias)));
                var startsAfter = after is { } prerequisite ? ImmutableArray.Create($"blocker-{prerequisite + 1}") : [];
                Add(raised, o => new RaiseBlocker(o, "transition-1", truth.Category, truth.Service, null, $"{BlockerCategories.Title(truth.Category)} for {childId}",
                    null, target) { StartsAfter = startsAfter });
                var id = $"blocker-{b + 1}";
                Add(resolved[b], o => new ResolveBlocker(o, id));
            }
            result.Add([.. commands.OrderBy(t => t.At)]);
        }
        return (result.MoveToImmutable(), new ServiceDirectory(DemoAgencies.Services));
    }

    private static TrueDuration Truth(BlockerCategory category) => Truths.First(t => t.Category == category);

    private static double Normal(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
