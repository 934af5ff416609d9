using System.Collections.Immutable;
using CareTwin.Journey.Blockers;

namespace CareTwin.Journey.Demo;

/// <summary>A realistic blocker: professional text, plain-language family text, owner, typical time to target.</summary>
internal sealed record BlockerScenario(
    BlockerCategory Category,
    Func<string, string> Owner,
    string ProfessionalText,
    string? FamilyText,
    int MinTargetDays,
    int MaxTargetDays);

internal sealed record AppointmentScenario(Func<string, string> Service, string Purpose, int Minutes, bool AtHome);

/// <summary>The synthetic situations children in the demo region meet (texts invented, patterns realistic).</summary>
internal static class DemoScenarios
{
    public static ImmutableArray<BlockerScenario> DischargeBlockers { get; } =
    [
        new(BlockerCategory.HousingAdaptation, DemoAgencies.Housing,
            "Current flat is on the third floor with no lift; ventilator, suction and a wheelchair cannot be managed. Priority banding requested; OT report submitted.",
            "Finding your family a home with step-free access so your child's equipment fits.", 60, 180),
        new(BlockerCategory.HousingAdaptation, DemoAgencies.Housing,
            "Ground-floor bedroom and through-floor lift needed; Disabled Facilities Grant application awaiting approval.",
            "Adapting your home with a downstairs bedroom and a lift, so your child can live downstairs safely.", 90, 200),
        new(BlockerCategory.HousingAdaptation, DemoAgencies.Housing,
            "Electrical survey needed: wiring cannot support ventilator, oxygen concentrator and backup batteries. Contractor visit to be booked.",
            "Checking your home's electrics can safely run your child's equipment.", 21, 60),
        new(BlockerCategory.CarePackage, _ => DemoAgencies.CareAgency,
            "Four nights a week of waking care agreed in principle; provider has no staff with tracheostomy competencies. Recruiting three carers.",
            "Finding and training night carers so you can sleep while your child is looked after.", 42, 150),
        new(BlockerCategory.CarePackage, DemoAgencies.SocialCare,
            "Care provider withdrew its offer; re-tendering to framework providers. Direct payments discussed with parents as an alternative.",
            "The first care agency could not provide carers; the team is finding another.", 30, 120),
        new(BlockerCategory.CarePackage, DemoAgencies.CommunityNursing,
            "Carers recruited; competency sign-off by the ventilation team outstanding for two of three carers.",
            "Your child's new carers are being trained and checked by the hospital team.", 14, 45),
        new(BlockerCategory.Equipment, _ => DemoAgencies.Equipment,
            "Home ventilator and backup unit ordered; supplier lead time six weeks. Suction units and pulse oximeter to follow.",
            "Getting your child's home ventilator and a spare delivered and set up.", 30, 60),
        new(BlockerCategory.Equipment, _ => DemoAgencies.Equipment,
            "Specialist seating and ceiling-track hoist assessed; hoist on back-order from manufacturer.",
            "A hoist to help lift your child safely is on order.", 21, 70),
        new(BlockerCategory.Equipment, _ => DemoAgencies.Equipment,
            "Oxygen concentrator home installation and fire-safety risk assessment required.",
            "Setting up oxygen at home, with a safety check.", 10, 30),
        new(BlockerCategory.CarerTraining, _ => DemoAgencies.VentilationTeam,
            "Parents need sign-off on tracheostomy change, emergency airway management and ventilator troubleshooting; two of six competencies complete.",
            "Training for you on tracheostomy care and the ventilator, so you feel confident at home.", 21, 70),
        new(BlockerCategory.CarerTraining, DemoAgencies.CommunityNursing,
            "Second carer (grandparent) training not started; ward staffing limits training slots.",
            "Training for a second family member so you have backup at home.", 21, 60),
        new(BlockerCategory.CarerTraining, DemoAgencies.CommunityNursing,
            "Gastrostomy feeding pump training outstanding; pump model differs from ward stock.",
            "Learning to use your child's feeding pump at home.", 7, 30),
        new(BlockerCategory.FundingDecision, _ => DemoAgencies.ContinuingCare,
            "Continuing care checklist positive; full assessment submitted, awaiting panel date.",
            "A panel is deciding how your child's care at home will be paid for.", 30, 90),
        new(BlockerCategory.FundingDecision, _ => DemoAgencies.ContinuingCare,
            "Panel deferred: further evidence requested from community nursing on night-time needs.",
            "The funding panel asked for more information before it decides.", 21, 60),
        new(BlockerCategory.FundingDecision, _ => DemoAgencies.ContinuingCare,
            "Split of funding between health and social care disputed; referred to commissioning leads.",
            "The NHS and the council are agreeing who pays for which parts of your child's care.", 30, 120),
        new(BlockerCategory.Medical, _ => DemoAgencies.VentilationTeam,
            "Weaning trial on home ventilator settings; needs two weeks stable before discharge.",
            "Your child needs to be settled on the home ventilator for two weeks before going home.", 14, 35),
        new(BlockerCategory.Medical, _ => DemoAgencies.VentilationTeam,
            "Recurrent chest infection; IV antibiotic course to complete and review by respiratory consultant.",
            "Finishing a course of antibiotics for a chest infection.", 7, 21),
        new(BlockerCategory.Transport, _ => DemoAgencies.Transport,
            "Ambulance transfer with ventilator-trained crew to be booked; family needs a wheelchair-accessible vehicle assessment.",
            "Arranging a safe journey home with a trained ambulance crew.", 7, 21),
        new(BlockerCategory.FamilyChoice, DemoAgencies.Housing,
            "Parents considering a housing offer outside their preferred area; decision pending after viewing.",
            "You are deciding about the home you have been offered. Take the time you need, and talk to us any time.", 14, 42),
        new(BlockerCategory.Other, _ => DemoAgencies.FamilySupport,
            "Interpreter needed for all training sessions; booking through the language service is slow.",
            "Booking an interpreter for your training sessions.", 7, 30),
    ];

    /// <summary>Safeguarding: sensitive by category, professional text only.</summary>
    public static ImmutableArray<BlockerScenario> SafeguardingBlockers { get; } =
    [
        new(BlockerCategory.SocialCareSafeguarding, DemoAgencies.SocialCare,
            "Strategy discussion held; section 47 enquiries in progress. Discharge destination on hold pending outcome.", null, 21, 60),
        new(BlockerCategory.SocialCareSafeguarding, DemoAgencies.SocialCare,
            "Child protection conference scheduled; social worker completing assessment of home circumstances.", null, 28, 70),
        new(BlockerCategory.SocialCareSafeguarding, DemoAgencies.SocialCare,
            "Concerns about unsupervised contact raised by ward staff; safety plan to be agreed before discharge.", null, 14, 45),
    ];

    public static ImmutableArray<BlockerScenario> EducationBlockers { get; } =
    [
        new(BlockerCategory.Education, DemoAgencies.Education,
            "EHC needs assessment agreed; health advice from community paediatrics overdue.",
            "The council is working out what support your child needs at school.", 30, 90),
        new(BlockerCategory.Education, DemoAgencies.Education,
            "Nursery place identified; staff need training in suction and emergency tracheostomy care before start.",
            "Training nursery staff in your child's care before they start.", 21, 60),
    ];

    public static ImmutableArray<AppointmentScenario> Appointments { get; } =
    [
        new(_ => DemoAgencies.VentilationTeam, "Ventilator care training session", 120, false),
        new(_ => DemoAgencies.VentilationTeam, "Ventilation clinic review", 60, false),
        new(DemoAgencies.CommunityNursing, "Community nurse home visit", 60, true),
        new(_ => DemoAgencies.Equipment, "Equipment fitting at home", 90, true),
        new(DemoAgencies.SocialCare, "Social worker visit", 60, true),
        new(DemoAgencies.Housing, "Housing needs assessment", 60, true),
        new(_ => DemoAgencies.ContinuingCare, "Continuing care assessment meeting", 120, false),
        new(_ => DemoAgencies.FamilySupport, "Family support session", 60, false),
        new(DemoAgencies.Education, "Meeting about nursery or school support", 60, false),
    ];

    public static ImmutableArray<string> GivenNames { get; } =
    [
        "Amelia", "Oliver", "Isla", "Noah", "Ava", "Muhammad", "Freya", "Leo", "Zainab", "Arthur", "Maryam", "George",
        "Ivy", "Theo", "Aisha", "Jacob", "Poppy", "Yusuf", "Sienna", "Kai", "Grace", "Ibrahim", "Lily", "Oscar",
        "Amara", "Finley", "Hana", "Reuben", "Niamh", "Tobias", "Priya", "Alfie", "Chidi", "Elsie", "Mateo", "Rosa",
    ];

    public static ImmutableArray<string> FamilyNames { get; } =
    [
        "Okonkwo", "Whitfield", "Castellano", "Brennan", "Achebe", "Lindgren", "Haworth", "Chaudhry", "Marlowe",
        "Nakamura", "Fairclough", "Oyelaran", "Delacroix", "Penhaligon", "Rasheed", "Thackeray", "Kowalczyk",
        "Abernethy", "Mwangi", "Ellingham", "Quayle", "Hardcastle", "Benedetti", "Sorensen", "Gallagher", "Tiwari",
    ];

    public static ImmutableArray<string> ParentNames { get; } =
    [
        "Sarah", "James", "Fatima", "Daniel", "Chloe", "Ahmed", "Rebecca", "Michael", "Joanna", "Kofi", "Emma", "Ravi",
    ];

    public static ImmutableArray<string> FamilyNotes { get; } =
    [
        "She loves music; please keep her radio on during the day.",
        "We can only visit after 4pm on weekdays because of work and school runs.",
        "He settles best when his blue blanket is with him.",
        "Please call me rather than text; my phone signal on the ward is poor.",
        "His big sister would like to learn some of his care too.",
    ];

    public static ImmutableArray<string> FamilyConcerns { get; } =
    [
        "We have not heard anything about the housing for three weeks. Is anything happening?",
        "We were told the carers would start soon but nobody has called us.",
        "The training sessions keep being cancelled and we are worried about managing at home.",
        "We are exhausted from travelling to the hospital every day. Is there any help with parking or travel?",
    ];
}
