using System.Collections.Immutable;
using CareTwin.Journey.Appointments;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Children;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Demo;
using CareTwin.Journey.Escalations;
using CareTwin.Journey.Family;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Services;
using CareTwin.Journey.Transitions;

namespace CareTwin.Bench.Journey;

/// <summary>
/// The children the journey benchmarks measure, written as commands so they pass through the same rules as
/// live traffic: a typical twin (20 appointments, 5 blockers, ~45 events) and a long-lived one (1,000 events).
/// </summary>
internal static class JourneyHistories
{
    private static readonly Actor Coordinator = new("coordinator.royal-thamesbank", "Priya Shah", ActorRole.Coordinator);
    private static readonly Actor Epr = new("epr.royal-thamesbank", "Royal Thamesbank patient system", ActorRole.ExternalSystem);
    private static readonly Actor Parent = new("family.bench", "Sarah Okonkwo", ActorRole.Family);

    /// <summary>The demo region's service profiles: real SLAs and ladders for the blockers to reference.</summary>
    public static ImmutableArray<ServiceProfile> Services(DateTimeOffset now) => DemoRegionGenerator.Generate(1, now, 0).Services;

    /// <summary>
    /// A child 20 days into a hospital discharge, ending before <paramref name="now"/>: 20 appointments, 5 blockers
    /// (none past its SLA, so no escalation falls due while it is measured), ~45 events.
    /// </summary>
    public static ImmutableArray<TimedCommand> TypicalTwin(string childId, DateTimeOffset now, ImmutableArray<ServiceProfile> services)
    {
        var script = new Script(childId, now.AddDays(-20));
        script.Add(0, o => new RegisterChild(o, childId, "943 476 5919", "Amelia", "Okonkwo", new DateOnly(2019, 5, 2), "royal-thamesbank", "north-thames",
            [new CareTeamMember("Priya Shah", "Discharge coordinator"), new CareTeamMember("Dr Ruth Ellery", "Consultant")]));
        script.Add(0.01, o => new StartTransition(o, TransitionKind.HospitalDischarge));
        script.Add(1, o => new ChangeStage(o, "transition-1", HospitalDischargeStages.MedicallyOptimised));
        script.Add(2, o => new ChangeStage(o, "transition-1", HospitalDischargeStages.DischargePlanning));
        (BlockerCategory Category, string Owner)[] blockers =
        [
            (BlockerCategory.HousingAdaptation, "housing."), (BlockerCategory.CarePackage, "social-care."), (BlockerCategory.Equipment, "health.equipment."),
            (BlockerCategory.CarerTraining, "health.community-nursing."), (BlockerCategory.FundingDecision, "health.continuing-care."),
        ];
        for (var i = 0; i < blockers.Length; i++)
        {
            var (category, prefix) = blockers[i];
            var owner = services.First(s => s.Key.Value.StartsWith(prefix, StringComparison.Ordinal)).Key.Value;
            var weeks = i;
            script.Add(3 + i * 0.1, (o, at) => new RaiseBlocker(o, "transition-1", category, owner, "Callum Reid",
                "OT assessment completed; ground-floor bedroom and level-access shower needed before discharge. Awaiting panel decision on priority banding.",
                "Getting your home ready so Amelia can come home safely.", UkCalendar.DateOf(at).AddDays(60 + weeks * 7)));
        }
        for (var i = 0; i < 20; i++)
        {
            var service = services[i % services.Length].Key.Value;
            var start = script.Start.AddDays(4 + i).AddHours(10);
            var appointment = $"appointment-{i + 1}";
            script.Add(2.5 + i * 0.01, o => new BookAppointment(o, service, start, TimeSpan.FromHours(1), "Royal Thamesbank, Ward 4", "Ventilator training session"), Epr);
            if (i < 10)
                script.Add(4 + i + 0.5, o => new UpdateAppointment(o, appointment, AppointmentStatus.Attended), Epr);
        }
        for (var i = 1; i <= 3; i++)
        {
            var blocker = $"blocker-{i}";
            script.Add(13 + i, o => new UpdateBlockerProgress(o, blocker, BlockerStatus.InProgress));
        }
        script.Add(17, o => new EscalateBlocker(o, "blocker-1", "No date for the adaptation after three visits; the family is asking daily."));
        script.Add(18, o => new AcknowledgeEscalation(o, "blocker-1", "Surveyor booked for Monday."));
        script.Add(19, o => new AddFamilyNote(o, "She sleeps better with the radio on quietly."), Parent);
        return script.Commands;
    }

    /// <summary>The typical twin followed by updates (target dates, rescheduled appointments) up to <paramref name="events"/> events.</summary>
    public static ImmutableArray<JourneyEvent> LongJournal(DateTimeOffset now, int events)
    {
        var services = Services(now);
        var directory = new ServiceDirectory(services);
        var state = ChildJourney.Empty;
        var journal = ImmutableArray.CreateBuilder<JourneyEvent>(events);
        void Record(JourneyCommand command, DateTimeOffset at)
        {
            var decision = JourneyDecider.Decide(state, command, new DecisionContext(at, directory));
            var accepted = decision as Decision.Accepted ?? throw new InvalidOperationException($"{command.GetType().Name} was not accepted: {decision}");
            journal.AddRange(accepted.Events);
            state = JourneyFold.ApplyAll(state, accepted.Events);
        }
        foreach (var timed in TypicalTwin("bench-long", now.AddDays(-400), services))
            Record(timed.Command, timed.At);
        var at = now.AddDays(-350);
        for (var i = 0; journal.Count < events; i++)
        {
            at = at.AddMinutes(400);
            var origin = new CommandOrigin(Coordinator, "caretwin.web", $"bench-update-{i}");
            Record(i % 2 == 0
                ? new UpdateBlockerProgress(origin, $"blocker-{i / 2 % 5 + 1}", TargetDate: UkCalendar.DateOf(at).AddDays(30 + i % 40))
                : new UpdateAppointment(origin, $"appointment-{17 + i / 2 % 4}", AppointmentStatus.Rescheduled, NewStart: at.AddDays(10)), at);
        }
        return journal.MoveToImmutable();
    }

    private sealed class Script(string childId, DateTimeOffset start)
    {
        private readonly ImmutableArray<TimedCommand>.Builder _commands = ImmutableArray.CreateBuilder<TimedCommand>();

        public DateTimeOffset Start => start;

        public ImmutableArray<TimedCommand> Commands => [.. _commands.OrderBy(c => c.At)];

        public void Add(double day, Func<CommandOrigin, JourneyCommand> make, Actor? actor = null) => Add(day, (o, _) => make(o), actor);

        public void Add(double day, Func<CommandOrigin, DateTimeOffset, JourneyCommand> make, Actor? actor = null)
        {
            var who = actor ?? Coordinator;
            var at = start.AddDays(day);
            var origin = new CommandOrigin(who, who == Epr ? Epr.Id : "caretwin.web", $"{childId}-{_commands.Count + 1}");
            _commands.Add(new TimedCommand(at, make(origin, at)));
        }
    }
}
