using System.Collections.Immutable;
using CareTwin.Journey.Appointments;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Children;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Escalations;
using CareTwin.Journey.Family;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Projections;
using CareTwin.Journey.Serialization;
using CareTwin.Journey.Transitions;
using FsCheck;
using FsCheck.Fluent;
using static CareTwin.Journey.Tests.Model.ModelFixtures;

namespace CareTwin.Journey.Tests.Properties;

/// <summary>
/// Random sequences of journey commands — valid and invalid, repeated, out of order, with time passing — run
/// through the rules as a grain would. Whatever is accepted, the twin's invariants hold; whatever is refused
/// or repeated changes nothing.
/// </summary>
public sealed class JourneyInvariantProperties
{
    private const string Marker = "PROFESSIONAL-ONLY";

    private static readonly string[] Services = ["housing.newham", "social-care.newham", "health.equipment.newham", "unknown.service"];
    private static readonly string[] Transitions = ["transition-1", "transition-2", "transition-9"];
    private static readonly string[] BlockerIds = ["blocker-1", "blocker-2", "blocker-3", "blocker-4", "blocker-9"];
    private static readonly string[] AppointmentIds = ["appointment-1", "appointment-2", "appointment-9"];
    private static readonly string[] Stages = [.. TransitionCatalog.All.SelectMany(t => t.Stages.Select(s => s.Key)).Distinct(), "no-such-stage"];
    private static readonly string[] Milestones = [.. TransitionCatalog.All.SelectMany(t => t.Milestones.Select(m => m.Key)).Distinct(), "no-such-milestone"];
    private static readonly string[] Texts = ["Waiting for the OT report.", "", "   ", "Line\u0007bell", new string('x', 2_001), "<script>alert(1)</script>"];

    /// <summary>One step: time passes (hours), then a command made from the origin and the time.</summary>
    private sealed record Step(int HoursLater, bool RepeatPreviousExternalId, Func<CommandOrigin, DateTimeOffset, ChildJourney, JourneyCommand> Make, string Description)
    {
        public override string ToString() => $"+{HoursLater}h {(RepeatPreviousExternalId ? "(repeat id) " : "")}{Description}";
    }

    [Fact]
    public void No_sequence_of_commands_breaks_the_twins_invariants()
    {
        var steps = Gen.ListOf(StepGen()).Select(s => s.ToArray()).Where(s => s.Length > 0);
        Prop.ForAll(steps.ToArbitrary(), Holds).Check(Config.QuickThrowOnFailure.WithMaxTest(300).WithEndSize(60));
    }

    private static bool Holds(Step[] steps)
    {
        var now = Start;
        var state = ChildJourney.Empty;
        var journal = new List<JourneyEvent>();
        var sequence = 0;
        string? previousExternalId = null;
        void Send(JourneyCommand command)
        {
            var before = JourneyJson.Serialize(state);
            var decision = JourneyDecider.Decide(state, command, new DecisionContext(now, Agencies));
            if (decision is Decision.Accepted accepted)
            {
                Assert.NotEmpty(accepted.Events);
                var after = JourneyFold.ApplyAll(state, accepted.Events);
                Assert.Equal(state.Version + accepted.Events.Length, after.Version);
                journal.AddRange(accepted.Events);
                state = after;
                // The same change again is a duplicate and changes nothing.
                Assert.IsType<Decision.Duplicate>(JourneyDecider.Decide(state, command, new DecisionContext(now, Agencies)));
            }
            else
            {
                Assert.Equal(before, JourneyJson.Serialize(state));
            }
            AssertInvariants(state, journal, now);
        }

        Send(new RegisterChild(Origin($"x-{++sequence}"), "child-1", ValidNhsNumber, "Amelia", "Okonkwo", new DateOnly(2019, 5, 1),
            "royal-thamesbank", "north-thames", []));
        Send(new StartTransition(Origin($"x-{++sequence}"), TransitionKind.HospitalDischarge));
        foreach (var step in steps)
        {
            now = now.AddHours(step.HoursLater);
            var externalId = step.RepeatPreviousExternalId && previousExternalId is not null ? previousExternalId : $"x-{++sequence}";
            previousExternalId = externalId;
            Send(step.Make(Origin(externalId), now, state));
        }
        return true;
    }

    private static CommandOrigin Origin(string externalId) => new(Coordinator, "caretwin.web", externalId);

    private static void AssertInvariants(ChildJourney state, List<JourneyEvent> journal, DateTimeOffset now)
    {
        // The twin is the fold of its journal, exactly.
        Assert.Equal(JourneyJson.Serialize(state), JourneyJson.Serialize(JourneyFold.Replay(journal)));
        Assert.Equal(journal.Count, state.Version);

        foreach (var blocker in state.Blockers)
        {
            Assert.NotNull(state.FindTransition(blocker.TransitionId));
            Assert.Equal(blocker.IsActive, blocker.ClosedAt is null);
            if (blocker.Category == BlockerCategory.SocialCareSafeguarding) Assert.True(blocker.Sensitive);
            var levels = blocker.Escalations.Select(e => e.Level).ToList();
            Assert.All(levels, level => Assert.InRange(level, 1, 3));
            Assert.Equal(levels.Order(), levels);
        }
        foreach (var transition in state.Transitions)
        {
            var definition = transition.Definition();
            Assert.True(definition.IndexOf(transition.Stage) >= 0, $"{transition.Id} is at unknown stage {transition.Stage}");
            if (transition.IsComplete)
                Assert.DoesNotContain(state.Blockers, b => b.TransitionId == transition.Id && b.IsActive);
        }
        // Once sensitive, always sensitive.
        var everSensitive = journal.OfType<IBlockerEvent>().Select(e => e.BlockerId)
            .Where(id => journal.Any(e => e is BlockerRaised { Sensitive: true } r && r.BlockerId == id
                || e is BlockerProgressUpdated { MarkedSensitive: true } u && u.BlockerId == id))
            .ToHashSet();
        Assert.All(state.Blockers.Where(b => everSensitive.Contains(b.Id)), b => Assert.True(b.Sensitive));

        // The family never sees a sensitive blocker or professional text.
        var family = JourneyJson.Serialize(FamilyViewProjection.Build(state, Agencies, now));
        Assert.DoesNotContain(Marker, family);
        foreach (var hidden in state.Blockers.Where(b => b.Sensitive))
            Assert.DoesNotContain($"\"{hidden.Id}\"", family);
    }

    private static JourneyCommand NextStage(CommandOrigin origin, ChildJourney twin)
    {
        var transition = twin.Transitions.FirstOrDefault(t => !t.IsComplete) ?? twin.Transitions[0];
        var stages = transition.Definition().Stages;
        var next = stages[Math.Min(transition.Definition().IndexOf(transition.Stage) + 1, stages.Length - 1)];
        var final = next.Key == transition.Definition().FinalStage.Key;
        return new ChangeStage(origin, transition.Id, next.Key,
            Destination: final && transition.Kind == TransitionKind.HospitalDischarge ? DischargeDestination.FamilyHome : null);
    }

    private static string Existing(ChildJourney twin, int pick) =>
        twin.Blockers.IsEmpty ? "blocker-1" : twin.Blockers[pick % twin.Blockers.Length].Id;

    private static Gen<Step> StepGen() =>
        from hours in Gen.Choose(0, 72)
        from repeat in Gen.Frequency((9, Gen.Constant(false)), (1, Gen.Constant(true)))
        from command in CommandGen()
        select new Step(hours, repeat, command.Make, command.Description);

    private static Gen<(Func<CommandOrigin, DateTimeOffset, ChildJourney, JourneyCommand> Make, string Description)> CommandGen()
    {
        var service = Gen.Elements(Services);
        var transition = Gen.Frequency((4, Gen.Constant("transition-1")), (1, Gen.Elements(Transitions)));
        var blocker = Gen.Elements(BlockerIds);
        var appointment = Gen.Elements(AppointmentIds);
        var text = Gen.Frequency((6, Gen.Constant(Texts[0])), (1, Gen.Elements(Texts)));
        var days = Gen.Choose(-5, 200);
        var category = Gen.Elements(Enum.GetValues<BlockerCategory>());

        Gen<(Func<CommandOrigin, DateTimeOffset, ChildJourney, JourneyCommand>, string)> Of(Func<CommandOrigin, DateTimeOffset, ChildJourney, JourneyCommand> make, string description) =>
            Gen.Constant((make, description));

        return Gen.OneOf(
            // Moves that follow the twin as it is, so long journeys reach their later stages.
            from pick in Gen.Choose(0, 1000)
            from made in Gen.Elements<(Func<CommandOrigin, DateTimeOffset, ChildJourney, JourneyCommand>, string)>(
                ((o, _, twin) => NextStage(o, twin), "next stage"),
                ((o, _, twin) => new ResolveBlocker(o, Existing(twin, pick), $"Done {Marker}", "All sorted."), "resolve an existing blocker"),
                ((o, _, twin) => new EscalateBlocker(o, Existing(twin, pick), $"Overdue {Marker}"), "escalate an existing blocker"),
                ((o, _, twin) => new AcknowledgeEscalation(o, Existing(twin, pick), "Seen."), "acknowledge an existing blocker"),
                ((o, _, twin) => new AutoEscalateBlocker(o with { Actor = Actor.EscalationLadder }, Existing(twin, pick)), "auto-escalate an existing blocker"))
            select made,
            from kind in Gen.Elements(Enum.GetValues<TransitionKind>())
            from made in Of((o, _, _) => new StartTransition(o, kind), $"start {kind}")
            select made,
            from t in transition
            from stage in Gen.Elements(Stages)
            from destination in Gen.Elements<DischargeDestination?>(null, DischargeDestination.FamilyHome, DischargeDestination.Hospice)
            from reason in Gen.Elements<string?>(null, "Plan fell through.")
            from made in Of((o, _, _) => new ChangeStage(o, t, stage, reason, destination), $"stage {t} → {stage}")
            select made,
            from t in transition
            from milestone in Gen.Elements(Milestones)
            from made in Of((o, _, _) => new CompleteMilestone(o, t, milestone), $"milestone {milestone}")
            select made,
            from t in transition
            from c in category
            from owner in service
            from professional in text
            from familyText in Gen.Elements<string?>(null, "Finding a home with step-free access.", "")
            from inDays in days
            from sensitive in Gen.Elements(false, true)
            from made in Of((o, now, _) => new RaiseBlocker(o, t, c, owner, "Callum Reid", $"{professional} {Marker}", familyText,
                DateOnly.FromDateTime(now.UtcDateTime).AddDays(inDays), sensitive), $"raise {c} for {owner}")
            select made,
            from b in blocker
            from status in Gen.Elements<BlockerStatus?>(null, BlockerStatus.Open, BlockerStatus.InProgress, BlockerStatus.Resolved)
            from inDays in Gen.Elements<int?>(null, -3, 30)
            from familyText in Gen.Elements<string?>(null, "The ramp is being built.")
            from markSensitive in Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true)))
            from made in Of((o, now, _) => new UpdateBlockerProgress(o, b, status, inDays is { } d ? DateOnly.FromDateTime(now.UtcDateTime).AddDays(d) : null,
                null, $"Progress {Marker}", familyText, markSensitive), $"update {b}")
            select made,
            from b in blocker
            from owner in service
            from made in Of((o, _, _) => new ReassignBlocker(o, b, owner, null, "Wrong team."), $"reassign {b} to {owner}")
            select made,
            from b in blocker
            from made in Gen.Elements<(Func<CommandOrigin, DateTimeOffset, ChildJourney, JourneyCommand>, string)>(
                ((o, _, _) => new ResolveBlocker(o, b, $"Done {Marker}", "All sorted."), $"resolve {b}"),
                ((o, _, _) => new CancelBlocker(o, b, $"Not needed {Marker}"), $"cancel {b}"),
                ((o, _, _) => new EscalateBlocker(o, b, $"Overdue {Marker}"), $"escalate {b}"),
                ((o, _, _) => new AutoEscalateBlocker(o with { Actor = Actor.EscalationLadder }, b), $"auto-escalate {b}"),
                ((o, _, _) => new AcknowledgeEscalation(o, b, "Seen."), $"acknowledge {b}"))
            select made,
            from s in service
            from inDays in Gen.Choose(-10, 60)
            from hours in Gen.Choose(0, 4)
            from made in Of((o, now, _) => new BookAppointment(o, s, now.AddDays(inDays), TimeSpan.FromHours(hours), "Ward 4", "Review"), $"book with {s}")
            select made,
            from a in appointment
            from status in Gen.Elements(Enum.GetValues<AppointmentStatus>())
            from moveDays in Gen.Elements<int?>(null, 2, -2)
            from made in Of((o, now, _) => new UpdateAppointment(o, a, status, moveDays is { } d ? now.AddDays(d) : null), $"{a} {status}")
            select made,
            from t in text
            from made in Gen.Elements<(Func<CommandOrigin, DateTimeOffset, ChildJourney, JourneyCommand>, string)>(
                ((o, _, _) => new AddFamilyNote(o with { Actor = Parent }, t), "family note"),
                ((o, _, _) => new FlagConcern(o with { Actor = Parent }, t, "blocker-1"), "family concern"))
            select made);
    }
}
