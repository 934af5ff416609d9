using System.Collections.Immutable;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Children;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Serialization;
using CareTwin.Journey.Services;
using CareTwin.Journey.Transitions;
using CareTwin.Journey.Validation;

namespace CareTwin.Journey.Tests.Model;

/// <summary>Fixed times, actors and services shared by the model tests.</summary>
internal static class ModelFixtures
{
    /// <summary>A local UK wall-clock time (never inside a clock-change gap in these tests).</summary>
    public static DateTimeOffset London(int year, int month, int day, int hour = 10, int minute = 0)
    {
        var local = new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, UkCalendar.London.GetUtcOffset(local));
    }

    public static readonly DateTimeOffset Start = London(2025, 6, 2, 9, 0);

    public const string ValidNhsNumber = "943 476 5919";

    public static readonly Actor Coordinator = new("coord-1", "Priya Shah", ActorRole.Coordinator);
    public static readonly Actor HousingOfficer = new("housing-officer-1", "Callum Reid", ActorRole.AgencyStaff);
    public static readonly Actor Parent = new("parent-1", "Sarah", ActorRole.Family);

    public static readonly ServiceProfile Housing = Service("housing.newham", "Newham Council housing team", AgencyKind.Housing,
        defaultSlaDays: 20, (BlockerCategory.HousingAdaptation, 30));

    public static readonly ServiceProfile SocialCare = Service("social-care.newham", "Newham children's social care", AgencyKind.SocialCare,
        defaultSlaDays: 28, (BlockerCategory.SocialCareSafeguarding, 14));

    public static readonly ServiceProfile Equipment = Service("health.equipment.newham", "Newham community equipment service", AgencyKind.Health,
        defaultSlaDays: 10);

    public static readonly ServiceDirectory Agencies = new([Housing, SocialCare, Equipment]);

    /// <summary>Ladder: level 1 acknowledge within 48 hours, level 2 within 24 hours, level 3 within 24 hours.</summary>
    public static ServiceProfile Service(string key, string name, AgencyKind kind, int defaultSlaDays, params (BlockerCategory, int)[] sla) =>
        new(ServiceKey.Parse(key), name, kind, defaultSlaDays,
            sla.ToImmutableDictionary(s => s.Item1, s => s.Item2),
            [
                new EscalationStep(1, new EscalationContact($"{name} team lead", "Team lead", null), TimeSpan.FromHours(48)),
                new EscalationStep(2, new EscalationContact($"{name} manager", "Service manager", null), TimeSpan.FromHours(24)),
                new EscalationStep(3, new EscalationContact($"{name} director", "Director", null), TimeSpan.FromHours(24)),
            ]);

    public static string Json<T>(T value) => JourneyJson.Serialize(value);
}

/// <summary>
/// Drives one child's twin through the model the way a grain does: decide at the current time,
/// append accepted events to a journal, fold them into the state.
/// </summary>
internal sealed class JourneyDriver
{
    private int sequence;

    public JourneyDriver(DateTimeOffset? now = null, IServiceDirectory? services = null)
    {
        Now = now ?? ModelFixtures.Start;
        Services = services ?? ModelFixtures.Agencies;
    }

    public ChildJourney State { get; private set; } = ChildJourney.Empty;

    public List<JourneyEvent> Journal { get; } = [];

    public DateTimeOffset Now { get; set; }

    public IServiceDirectory Services { get; set; }

    public JourneyLimits Limits { get; set; } = JourneyLimits.Default;

    public DecisionContext Context => new(Now, Services) { Limits = Limits };

    public CommandOrigin NextOrigin(Actor? actor = null, string source = "caretwin.web") =>
        new(actor ?? ModelFixtures.Coordinator, source, $"change-{++sequence}");

    public Decision Send(JourneyCommand command)
    {
        var (decision, state) = JourneyDecider.Handle(State, command, Context);
        Journal.AddRange(decision.EventsToAppend);
        State = state;
        return decision;
    }

    public Decision Send(Func<CommandOrigin, JourneyCommand> make, Actor? actor = null) => Send(make(NextOrigin(actor)));

    /// <summary>Sends a command that must be accepted; returns its events.</summary>
    public ImmutableArray<JourneyEvent> Do(Func<CommandOrigin, JourneyCommand> make, Actor? actor = null)
    {
        var decision = Send(make, actor);
        var accepted = Assert.IsType<Decision.Accepted>(decision);
        return accepted.Events;
    }

    public TEvent Do<TEvent>(Func<CommandOrigin, JourneyCommand> make, Actor? actor = null) where TEvent : JourneyEvent =>
        Assert.IsType<TEvent>(Assert.Single(Do(make, actor)));

    /// <summary>Sends a command that must be refused, and checks the twin and its journal did not change.</summary>
    public Refusal Refuse(Func<CommandOrigin, JourneyCommand> make, RefusalKind kind, string field, Actor? actor = null) =>
        Refuse(make(NextOrigin(actor)), kind, field);

    public Refusal Refuse(JourneyCommand command, RefusalKind kind, string field)
    {
        var stateBefore = ModelFixtures.Json(State);
        var journalBefore = Journal.Count;
        var refused = Assert.IsType<Decision.Refused>(Send(command));
        Assert.Equal((kind, field), (refused.Refusal.Kind, refused.Refusal.Field));
        Assert.False(string.IsNullOrWhiteSpace(refused.Refusal.Message));
        Assert.Equal(journalBefore, Journal.Count);
        Assert.Equal(stateBefore, ModelFixtures.Json(State));
        return refused.Refusal;
    }

    public JourneyDriver Registered(string childId = "child-1")
    {
        Do(o => new RegisterChild(o, childId, ModelFixtures.ValidNhsNumber, "Amelia", "Okonkwo", new DateOnly(2021, 3, 14),
            "royal-thamesbank", "north-thames", [new CareTeamMember("Priya Shah", "Discharge coordinator")]));
        return this;
    }

    /// <summary>A registered child with a hospital discharge (transition-1) at <paramref name="stage"/>.</summary>
    public JourneyDriver InHospital(string stage = HospitalDischargeStages.Admitted)
    {
        Registered();
        Do(o => new StartTransition(o, TransitionKind.HospitalDischarge));
        var stages = TransitionCatalog.HospitalDischarge.Stages;
        for (var i = 1; i <= TransitionCatalog.HospitalDischarge.IndexOf(stage); i++)
        {
            var key = stages[i].Key;
            Do(o => new ChangeStage(o, "transition-1", key,
                Destination: key == HospitalDischargeStages.Discharged ? DischargeDestination.FamilyHome : null));
        }
        return this;
    }

    public string RaiseBlocker(
        BlockerCategory category = BlockerCategory.HousingAdaptation,
        string owner = "housing.newham",
        int targetInDays = 60,
        string professionalText = "OT report submitted; priority banding requested.",
        string? familyText = "Finding a home with step-free access.",
        bool sensitive = false,
        string transitionId = "transition-1")
    {
        var target = UkCalendar.DateOf(Now).AddDays(targetInDays);
        return Do<BlockerRaised>(o => new RaiseBlocker(o, transitionId, category, owner, "Callum Reid",
            professionalText, familyText, target, sensitive)).BlockerId;
    }

    public Blocker Blocker(string id) => State.FindBlocker(id) ?? throw new InvalidOperationException(id);
}
