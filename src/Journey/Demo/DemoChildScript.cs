using System.Collections.Immutable;
using CareTwin.Journey.Appointments;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Children;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Escalations;
using CareTwin.Journey.Family;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Transitions;

namespace CareTwin.Journey.Demo;

/// <summary>
/// Writes one synthetic child's history as timed commands that the journey rules accept when
/// replayed in order: stages in sequence, blockers raised with future target dates and resolved
/// before discharge, attendance recorded after appointments start. Ids the rules will assign
/// (transition-1, blocker-3, appointment-2) are predicted by raising things in time order.
/// </summary>
internal sealed class DemoChildScript
{
    private const string WebSource = "caretwin.web";
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    private readonly Random rng;
    private readonly int seed;
    private readonly DateTimeOffset now;
    private readonly DateOnly today;
    private readonly string childId;
    private readonly string nhsNumber;
    private readonly string borough;
    private readonly DemoHospital hospital;
    private readonly Actor coordinator;
    private readonly Actor clinician;
    private readonly Actor family;
    private readonly Actor hospitalSystem;
    private readonly List<(DateTimeOffset At, int Order, JourneyCommand Command)> commands = [];
    private int sequence;

    public DemoChildScript(int seed, int index, DateTimeOffset now, string nhsNumber)
    {
        // A child's randomness depends only on the seed and its index (never on process hash codes).
        rng = new Random(unchecked(seed * 1_000_003 + index));
        this.seed = seed;
        this.now = now;
        today = UkCalendar.DateOf(now);
        childId = $"demo-{index + 1:D4}";
        this.nhsNumber = nhsNumber;
        borough = Pick(DemoAgencies.Boroughs);
        hospital = Pick(DemoAgencies.Hospitals);
        coordinator = new Actor($"coordinator.{hospital.Key}", CoordinatorName(hospital.Key), ActorRole.Coordinator);
        clinician = new Actor($"clinician.{hospital.Key}", ClinicianName(hospital.Key), ActorRole.Clinician);
        family = new Actor($"family.{childId}", Pick(DemoScenarios.ParentNames), ActorRole.Family);
        hospitalSystem = new Actor($"epr.{hospital.Key}", $"{hospital.Name} patient system", ActorRole.ExternalSystem);
    }

    public DemoChild Build()
    {
        var stage = PickStage();
        var admittedDaysAgo = stage switch
        {
            0 => rng.Next(3, 40),
            1 => rng.Next(25, 400),
            2 => rng.Next(45, 700),
            3 => rng.Next(60, 700),
            _ => rng.Next(100, 700),
        };
        var admitted = WorkingTime(today.AddDays(-admittedDaysAgo));
        var ageDays = admittedDaysAgo + rng.Next(30, 17 * 365);
        Add(admitted, o => new RegisterChild(o, childId, nhsNumber, Pick(DemoScenarios.GivenNames), Pick(DemoScenarios.FamilyNames),
            today.AddDays(-ageDays), hospital.Key, DemoAgencies.RegionKey,
            [new CareTeamMember(coordinator.DisplayName, "Discharge coordinator"), new CareTeamMember(clinician.DisplayName, "Consultant")]), coordinator);
        Add(admitted + TimeSpan.FromMinutes(10), o => new StartTransition(o, TransitionKind.HospitalDischarge), coordinator);

        var optimised = stage >= 1 ? admitted + Days(5, 20) : (DateTimeOffset?)null;
        var planning = stage >= 2 ? optimised!.Value + Days(3, 14) : (DateTimeOffset?)null;
        var ready = stage switch
        {
            3 => now - Days(1, 10),
            4 => now - Days(10, 60),
            _ => (DateTimeOffset?)null,
        };
        var discharged = stage == 4 ? ready!.Value + Days(1, 7) : (DateTimeOffset?)null;
        ChangeStage(optimised, HospitalDischargeStages.MedicallyOptimised);
        ChangeStage(planning, HospitalDischargeStages.DischargePlanning);
        ChangeStage(ready, HospitalDischargeStages.ReadyForDischarge);
        if (discharged is { } leaving)
            Add(leaving, o => new ChangeStage(o, "transition-1", HospitalDischargeStages.Discharged, Destination: PickDestination()), clinician, hospitalSystem);

        var blockers = PlanDischargeBlockers(stage, admitted, optimised, ready);
        PlanSecondTransition(admitted, ageDays - admittedDaysAgo, blockers);
        EmitBlockers(blockers);
        PlanMilestones(stage, planning, ready);
        PlanAppointments(admitted);
        PlanFamilyMessages(admitted);

        var ordered = commands.OrderBy(c => c.At).ThenBy(c => c.Order).Select(c => new TimedCommand(c.At, c.Command));
        return new DemoChild(childId, hospital.Key, [.. ordered]);
    }

    private sealed record BlockerPlan(string TransitionId, BlockerScenario Scenario, DateTimeOffset RaisedAt, DateTimeOffset? ClosedAt, bool MustResolve);

    private List<BlockerPlan> PlanDischargeBlockers(int stage, DateTimeOffset admitted, DateTimeOffset? optimised, DateTimeOffset? ready)
    {
        var plans = new List<BlockerPlan>();
        var from = (optimised ?? admitted) + Day;
        var until = (ready ?? now) - 2 * Day;
        if (until <= from)
            return plans;
        var count = stage switch
        {
            0 => rng.Next(0, 2),
            1 or 2 => rng.Next(2, 7),
            _ => rng.Next(1, 5),
        };
        var used = new HashSet<BlockerScenario>();
        var raiseWindow = (until - from) * 0.7;
        var raiseTimes = Enumerable.Range(0, count).Select(_ => from + raiseWindow * rng.NextDouble()).Order().ToList();
        for (var i = 0; i < raiseTimes.Count; i++)
        {
            var scenario = stage == 0
                ? DemoScenarios.DischargeBlockers.First(s => s.Category == BlockerCategory.Medical)
                : rng.NextDouble() < 0.08 ? Pick(DemoScenarios.SafeguardingBlockers) : Pick(DemoScenarios.DischargeBlockers);
            if (!used.Add(scenario))
                continue;
            var raised = raiseTimes[i] + TimeSpan.FromMinutes(i);
            var mustResolve = ready is not null;
            var closed = mustResolve ? Between(raised + Day, until + Day) : TypicalResolution(raised, scenario);
            plans.Add(new BlockerPlan("transition-1", scenario, raised, closed, mustResolve));
        }
        // A medically ready child still in hospital is waiting on something.
        if (stage is 1 or 2 && plans.Count > 0 && plans.All(p => p.ClosedAt is not null))
            plans[^1] = plans[^1] with { ClosedAt = null };
        return plans;
    }

    /// <summary>
    /// Quick things (equipment, a course of antibiotics) are usually done by now; a housing
    /// adaptation often is not: resolution follows the scenario's typical time, so long-running
    /// categories dominate the open blockers and the delay days, as they do in practice.
    /// </summary>
    private DateTimeOffset? TypicalResolution(DateTimeOffset raised, BlockerScenario scenario)
    {
        var done = raised + Days(scenario.MinTargetDays, scenario.MaxTargetDays * 3 / 2);
        return done < now - Hour && rng.NextDouble() < 0.75 ? done : null;
    }

    /// <summary>Some children are also starting school or moving to adult services.</summary>
    private void PlanSecondTransition(DateTimeOffset admitted, int ageAtAdmissionDays, List<BlockerPlan> blockers)
    {
        var ageYears = ageAtAdmissionDays / 365;
        TransitionKind? kind = ageYears >= 14 && rng.NextDouble() < 0.4 ? TransitionKind.TransitionToAdultServices
            : ageYears is >= 2 and <= 5 && rng.NextDouble() < 0.5 ? TransitionKind.StartingEducation
            : null;
        var started = admitted + Day + TimeSpan.FromMinutes(30);
        if (kind is not { } k || started > now - Hour)
            return;
        Add(started, o => new StartTransition(o, k), coordinator);
        var stages = TransitionCatalog.For(k).Stages;
        var at = started;
        for (var i = 1; i <= 2; i++)
        {
            at += Days(10, 40);
            if (at > now - Hour)
                break;
            var key = stages[i].Key;
            Add(at, o => new ChangeStage(o, "transition-2", key), coordinator);
        }
        if (k == TransitionKind.StartingEducation && started + 3 * Day < now - Hour)
        {
            var raised = started + 3 * Day;
            var scenario = Pick(DemoScenarios.EducationBlockers);
            blockers.Add(new BlockerPlan("transition-2", scenario, raised, TypicalResolution(raised, scenario), false));
        }
    }

    private void EmitBlockers(List<BlockerPlan> plans)
    {
        // Numbered in the order they are raised, as the rules will number them.
        var ordered = plans.OrderBy(p => p.RaisedAt).ToList();
        for (var i = 0; i < ordered.Count; i++)
            EmitBlocker(ordered[i], $"blocker-{i + 1}");
    }

    private void EmitBlocker(BlockerPlan plan, string blockerId)
    {
        var scenario = plan.Scenario;
        var owner = scenario.Owner(borough);
        var staff = StaffOf(owner);
        var target = UkCalendar.DateOf(plan.RaisedAt).AddDays(rng.Next(scenario.MinTargetDays, scenario.MaxTargetDays + 1));
        Add(plan.RaisedAt, o => new RaiseBlocker(o, plan.TransitionId, scenario.Category, owner, staff.DisplayName,
            scenario.ProfessionalText, scenario.FamilyText, target), coordinator);

        var openUntil = (plan.ClosedAt ?? now) - Hour;
        var startedWork = plan.RaisedAt + Days(1, 6);
        if (rng.NextDouble() < 0.7 && startedWork < openUntil)
            Add(startedWork, o => new UpdateBlockerProgress(o, blockerId, Status: BlockerStatus.InProgress), staff);

        var alternative = AlternativeOwner(scenario.Category);
        var reassignAt = plan.RaisedAt + Days(3, 10);
        if (alternative is not null && alternative != owner && rng.NextDouble() < 0.15 && reassignAt < openUntil)
        {
            Add(reassignAt, o => new ReassignBlocker(o, blockerId, alternative, null,
                "Agreed at the multi-agency discharge meeting that this sits better with them."), coordinator);
        }
        else
        {
            EmitEscalations(plan, blockerId, owner, staff, openUntil);
        }

        if (plan.ClosedAt is { } closed)
        {
            if (!plan.MustResolve && rng.NextDouble() < 0.1)
                Add(closed, o => new CancelBlocker(o, blockerId, "Raised in error: duplicates another blocker."), coordinator);
            else
                Add(closed, o => new ResolveBlocker(o, blockerId, "Confirmed complete at the discharge meeting."), staff);
        }
    }

    private void EmitEscalations(BlockerPlan plan, string blockerId, string owner, Actor staff, DateTimeOffset openUntil)
    {
        var slaDays = DemoAgencies.Services.Single(s => s.Key.Value == owner).SlaDaysFor(plan.Scenario.Category);
        var escalateAt = plan.RaisedAt + TimeSpan.FromDays(slaDays) + Days(1, 10);
        for (var level = 1; level <= 2 && escalateAt < openUntil && rng.NextDouble() < 0.45; level++)
        {
            var weeks = (int)((escalateAt - plan.RaisedAt).TotalDays / 7);
            Add(escalateAt, o => new EscalateBlocker(o, blockerId,
                $"No resolution after {weeks} weeks; the child remains in hospital and the family is asking for a date."), coordinator);
            var acknowledgeAt = escalateAt + TimeSpan.FromHours(rng.Next(2, 40));
            if (rng.NextDouble() < 0.6 && acknowledgeAt < openUntil)
                Add(acknowledgeAt, o => new AcknowledgeEscalation(o, blockerId, "Reviewed with the team; extra capacity allocated."), staff);
            escalateAt = acknowledgeAt + Days(7, 30);
        }
    }

    private void PlanMilestones(int stage, DateTimeOffset? planning, DateTimeOffset? ready)
    {
        if (planning is not { } from)
            return;
        var until = ready ?? now;
        foreach (var milestone in TransitionCatalog.HospitalDischarge.Milestones)
        {
            if (stage >= 3 || rng.NextDouble() < 0.4)
            {
                var at = Between(from + Hour, until - Hour);
                var key = milestone.Key;
                Add(at, o => new CompleteMilestone(o, "transition-1", key), coordinator);
            }
        }
    }

    private sealed record AppointmentPlan(AppointmentScenario Scenario, DateTimeOffset BookedAt, DateTimeOffset Start);

    private void PlanAppointments(DateTimeOffset admitted)
    {
        var earliest = admitted + Day;
        var latest = now + TimeSpan.FromDays(30);
        var plans = Enumerable.Range(0, rng.Next(3, 13))
            .Select(_ =>
            {
                var start = OnTheHour(Between(earliest, latest));
                var booked = Clamp(start - Days(3, 21), admitted + Hour, now - Hour);
                return new AppointmentPlan(Pick(DemoScenarios.Appointments), booked, start);
            })
            .OrderBy(p => p.BookedAt)
            .ToList();
        for (var i = 0; i < plans.Count; i++)
            EmitAppointment(plans[i], $"appointment-{i + 1}", i);
    }

    private void EmitAppointment(AppointmentPlan plan, string appointmentId, int index)
    {
        var service = plan.Scenario.Service(borough);
        var place = plan.Scenario.AtHome ? "Family home"
            : service.StartsWith("health.", StringComparison.Ordinal) ? hospital.Name
            : $"{char.ToUpperInvariant(borough[0])}{borough[1..]} Civic Centre";
        var duration = TimeSpan.FromMinutes(plan.Scenario.Minutes);
        var booker = service.StartsWith("health.", StringComparison.Ordinal) ? hospitalSystem : StaffOf(service);
        var bookedAt = plan.BookedAt + TimeSpan.FromSeconds(index);
        Add(bookedAt, o => new BookAppointment(o, service, plan.Start, duration, place, plan.Scenario.Purpose), booker, SourceOf(booker));

        var over = plan.Start + duration + Hour;
        if (over <= now)
        {
            var roll = rng.NextDouble();
            if (roll < 0.08 && plan.Start - Day > bookedAt)
                Add(plan.Start - Day, o => new UpdateAppointment(o, appointmentId, AppointmentStatus.Cancelled), booker, SourceOf(booker));
            else
                Add(over, o => new UpdateAppointment(o, appointmentId, roll < 0.16 ? AppointmentStatus.DidNotAttend : AppointmentStatus.Attended), booker, SourceOf(booker));
        }
        else if (plan.Start > now && rng.NextDouble() < 0.15 && bookedAt + Day < now - Hour)
        {
            Add(bookedAt + Day, o => new UpdateAppointment(o, appointmentId, AppointmentStatus.Rescheduled, NewStart: plan.Start + TimeSpan.FromDays(7)), booker, SourceOf(booker));
        }
    }

    private void PlanFamilyMessages(DateTimeOffset admitted)
    {
        if (admitted + Day >= now - Hour)
            return;
        if (rng.NextDouble() < 0.35)
        {
            var text = Pick(DemoScenarios.FamilyNotes);
            Add(Between(admitted + Day, now - Hour), o => new AddFamilyNote(o, text), family);
        }
        if (rng.NextDouble() < 0.12)
        {
            var text = Pick(DemoScenarios.FamilyConcerns);
            Add(Between(admitted + Day, now - Hour), o => new FlagConcern(o, text), family);
        }
    }

    private void ChangeStage(DateTimeOffset? at, string stage)
    {
        if (at is { } when)
            Add(when, o => new ChangeStage(o, "transition-1", stage), clinician, hospitalSystem);
    }

    private void Add(DateTimeOffset at, Func<CommandOrigin, JourneyCommand> make, Actor actor, Actor? via = null) =>
        Add(at, make, actor, via is null ? WebSource : via.Id);

    private void Add(DateTimeOffset at, Func<CommandOrigin, JourneyCommand> make, Actor actor, string source)
    {
        sequence++;
        commands.Add((at, sequence, make(new CommandOrigin(actor, source, $"demo-{seed}-{childId}-{sequence}"))));
    }

    private static string SourceOf(Actor actor) => actor.Role == ActorRole.ExternalSystem ? actor.Id : WebSource;

    private int PickStage()
    {
        var roll = rng.NextDouble();
        return roll switch
        {
            < 0.12 => 0,
            < 0.40 => 1,
            < 0.72 => 2,
            < 0.85 => 3,
            _ => 4,
        };
    }

    private DischargeDestination PickDestination() =>
        rng.NextDouble() switch
        {
            < 0.85 => DischargeDestination.FamilyHome,
            < 0.92 => DischargeDestination.FosterCare,
            < 0.97 => DischargeDestination.Hospice,
            _ => DischargeDestination.ResidentialPlacement,
        };

    private static string? AlternativeOwner(BlockerCategory category) => category switch
    {
        BlockerCategory.CarePackage => DemoAgencies.CareAgency,
        BlockerCategory.Other => DemoAgencies.VentilationTeam,
        _ => null,
    };

    private static Actor StaffOf(string serviceKey)
    {
        var profile = DemoAgencies.Services.Single(s => s.Key.Value == serviceKey);
        return new Actor($"staff.{serviceKey}", profile.StepFor(1)!.Contact.Name, ActorRole.AgencyStaff);
    }

    private static string CoordinatorName(string hospitalKey) => hospitalKey switch
    {
        "royal-thamesbank" => "Priya Shah",
        "st-brigids" => "Tom Okafor",
        _ => "Helen Marsh",
    };

    private static string ClinicianName(string hospitalKey) => hospitalKey switch
    {
        "royal-thamesbank" => "Dr Ruth Ellery",
        "st-brigids" => "Dr Samir Haddad",
        _ => "Dr Joanna Pike",
    };

    private T Pick<T>(ImmutableArray<T> items) => items[rng.Next(items.Length)];

    private TimeSpan Days(int min, int max) => TimeSpan.FromDays(rng.Next(min, max + 1)) + TimeSpan.FromMinutes(rng.Next(0, 240));

    private DateTimeOffset Between(DateTimeOffset from, DateTimeOffset to) =>
        to <= from ? from : from + (to - from) * rng.NextDouble();

    private DateTimeOffset WorkingTime(DateOnly date) => UkCalendar.StartOf(date) + TimeSpan.FromHours(9) + TimeSpan.FromMinutes(rng.Next(0, 8 * 60));

    private static DateTimeOffset OnTheHour(DateTimeOffset at) => new(at.Year, at.Month, at.Day, Math.Clamp(at.Hour, 9, 16), 0, 0, at.Offset);

    private static DateTimeOffset Clamp(DateTimeOffset value, DateTimeOffset min, DateTimeOffset max) =>
        value < min ? min : value > max ? max : value;
}
