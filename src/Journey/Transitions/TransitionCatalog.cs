using System.Collections.Immutable;

namespace CareTwin.Journey.Transitions;

/// <summary>Stage keys of a hospital discharge (the transition CareTwin measures delays on).</summary>
public static class HospitalDischargeStages
{
    public const string Admitted = "admitted";
    public const string MedicallyOptimised = "medically-optimised";
    public const string DischargePlanning = "discharge-planning";
    public const string ReadyForDischarge = "ready-for-discharge";
    public const string Discharged = "discharged";
}

/// <summary>The five transition kinds, each with its ordered stages and milestone checklist.</summary>
public static class TransitionCatalog
{
    public static TransitionDefinition HospitalDischarge { get; } = new(
        TransitionKind.HospitalDischarge, "Hospital discharge", "Going home from hospital",
        [
            new(HospitalDischargeStages.Admitted, "Admitted", "Being treated in hospital", "Your child is in hospital and the team is treating them."),
            new(HospitalDischargeStages.MedicallyOptimised, "Medically optimised", "Well enough to leave hospital",
                "The doctors say your child is well enough to leave hospital. The team is now arranging what has to be in place for a safe discharge."),
            new(HospitalDischargeStages.DischargePlanning, "Discharge planning", "Arranging what is needed at home",
                "The hospital and other services are arranging what your child needs at home: care, equipment, training and the home itself."),
            new(HospitalDischargeStages.ReadyForDischarge, "Ready for discharge", "Ready to go home",
                "Everything your child needs is in place. The team will agree the day your child leaves hospital with you."),
            new(HospitalDischargeStages.Discharged, "Discharged", "Home from hospital", "Your child has left hospital."),
        ],
        [
            new("parent-training-signed-off", "Parent/carer training signed off", "You have finished your training and been signed off to care for your child at home"),
            new("equipment-delivered", "Equipment delivered", "The equipment your child needs has been delivered and checked"),
            new("care-package-staffed", "Care package staffed", "The carers who will help at home are recruited and trained"),
            new("home-adapted", "Home adapted", "Your home has been made ready for your child's care"),
            new("funding-decided", "Funding decided", "The decision on who pays for your child's care has been made"),
        ],
        DelayClockStage: HospitalDischargeStages.MedicallyOptimised,
        RequiresDestination: true);

    public static TransitionDefinition Diagnosis { get; } = new(
        TransitionKind.Diagnosis, "Diagnosis", "Finding out what your child needs",
        [
            new("referred", "Referred", "Referred to specialists", "Your child has been referred to specialists for assessment."),
            new("assessment", "Assessment", "Being assessed", "Specialists are seeing your child to understand their needs."),
            new("diagnosis-shared", "Diagnosis shared", "Diagnosis explained", "The team has explained what they found and what it means for your child."),
            new("care-plan-agreed", "Care plan agreed", "Care plan agreed with you", "You and the team have agreed a plan for your child's care."),
        ],
        [
            new("referral-accepted", "Referral accepted", "The specialist team has accepted the referral"),
            new("assessments-complete", "Assessments complete", "All the tests and assessments are done"),
            new("diagnosis-explained", "Diagnosis explained to family", "The team has talked the diagnosis through with you"),
            new("key-worker-named", "Key worker named", "You have one named person to contact"),
        ],
        DelayClockStage: null,
        RequiresDestination: false);

    public static TransitionDefinition StartingEducation { get; } = new(
        TransitionKind.StartingEducation, "Starting education", "Starting nursery or school",
        [
            new("identified", "Identified", "Getting ready for nursery or school", "The team knows your child is due to start nursery or school."),
            new("needs-assessment", "EHC needs assessment", "Assessing education, health and care needs", "The council is assessing your child's education, health and care needs."),
            new("plan-issued", "EHC plan issued", "Education, Health and Care Plan written", "An Education, Health and Care Plan says what support your child will get."),
            new("placement-confirmed", "Placement confirmed", "School or nursery place confirmed", "Your child's nursery or school place is confirmed."),
            new("started", "Started", "Started at nursery or school", "Your child has started at nursery or school."),
        ],
        [
            new("ehc-assessment-agreed", "EHC needs assessment agreed", "The council has agreed to assess your child's needs"),
            new("health-advice-submitted", "Health advice submitted", "The health team has sent its advice to the council"),
            new("ehc-plan-issued", "EHC plan issued", "Your child's Education, Health and Care Plan is finished"),
            new("school-staff-trained", "School staff trained", "Staff at the school are trained in your child's care"),
            new("transport-arranged", "Transport arranged", "Getting to and from school is arranged"),
        ],
        DelayClockStage: null,
        RequiresDestination: false);

    public static TransitionDefinition MovingHome { get; } = new(
        TransitionKind.MovingHome, "Moving home", "Moving to a new home",
        [
            new("planning", "Planning", "Looking for a suitable home", "The team knows your family needs a home that suits your child's care."),
            new("property-identified", "Property identified", "A suitable home found", "A suitable home has been found."),
            new("adaptations", "Adaptations", "Making the home ready", "Changes are being made so your child's equipment and care fit safely."),
            new("ready-to-move", "Ready to move", "Ready to move", "The home is ready and the move is being arranged."),
            new("moved", "Moved", "Moved in", "Your family has moved into the new home."),
        ],
        [
            new("housing-need-assessed", "Housing need assessed", "The council has assessed what kind of home you need"),
            new("property-offered", "Property offered", "You have been offered a home"),
            new("adaptations-complete", "Adaptations complete", "The changes to the home are finished"),
            new("equipment-moved", "Equipment moved", "Your child's equipment has been moved and checked"),
            new("care-team-told", "Care teams updated", "Everyone caring for your child has your new address"),
        ],
        DelayClockStage: null,
        RequiresDestination: false);

    public static TransitionDefinition TransitionToAdultServices { get; } = new(
        TransitionKind.TransitionToAdultServices, "Transition to adult services", "Moving to adult services",
        [
            new("preparing", "Preparing", "Starting to prepare", "The team has started talking with you about moving to adult services."),
            new("planning", "Planning", "Writing the plan with you", "A transition plan is being written with you."),
            new("adult-team-identified", "Adult team identified", "Adult teams named", "The adult teams who will care for your young person are named."),
            new("handover", "Handover", "Handing over to adult teams", "Children's and adult teams are working together and meeting you."),
            new("transferred", "Transferred", "Adult services in charge", "Adult services now lead your young person's care."),
        ],
        [
            new("transition-plan-started", "Transition plan started", "A transition plan has been started with you"),
            new("adult-team-named", "Adult team named", "You know who the adult team will be"),
            new("joint-appointment-held", "Joint appointment held", "You have met the children's and adult teams together"),
            new("continuing-care-reassessed", "Continuing care reassessed", "Funding for care as an adult has been reassessed"),
            new("handover-complete", "Handover complete", "The adult team has taken over"),
        ],
        DelayClockStage: null,
        RequiresDestination: false);

    public static ImmutableArray<TransitionDefinition> All { get; } =
        [HospitalDischarge, Diagnosis, StartingEducation, MovingHome, TransitionToAdultServices];

    public static TransitionDefinition For(TransitionKind kind) => kind switch
    {
        TransitionKind.HospitalDischarge => HospitalDischarge,
        TransitionKind.Diagnosis => Diagnosis,
        TransitionKind.StartingEducation => StartingEducation,
        TransitionKind.MovingHome => MovingHome,
        TransitionKind.TransitionToAdultServices => TransitionToAdultServices,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
