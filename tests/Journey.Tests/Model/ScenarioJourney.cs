using CareTwin.Journey.Appointments;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Escalations;
using CareTwin.Journey.Family;
using CareTwin.Journey.Transitions;
using static CareTwin.Journey.Transitions.HospitalDischargeStages;
using static CareTwin.Journey.Tests.Model.ModelFixtures;

namespace CareTwin.Journey.Tests.Model;

/// <summary>
/// A populated journey touching every event type, with marker strings in every professional-only
/// and sensitive field so projections can be checked for leaks.
/// </summary>
internal static class ScenarioJourney
{
    public const string SafeguardingProfessionalText = "LEAK-SAFEGUARDING-PRO section 47 enquiries";
    public const string SafeguardingFamilyText = "LEAK-SAFEGUARDING-FAMILY text written by mistake";
    public const string HousingProfessionalText = "LEAK-HOUSING-PRO priority banding dispute";
    public const string HousingUpdatedProfessionalText = "LEAK-HOUSING-PRO-UPDATED offer refused by panel";
    public const string HousingFamilyText = "Finding your family a home with step-free access.";
    public const string EscalationReason = "LEAK-ESCALATION-REASON no response for six weeks";
    public const string ReassignReason = "LEAK-REASSIGN-REASON MDT decision";
    public const string AcknowledgementNote = "LEAK-ACK-NOTE chased supplier";
    public const string EquipmentResolutionNote = "LEAK-RESOLUTION-NOTE delivered by courier";
    public const string LaterSensitiveFamilyText = "LEAK-LATER-SENSITIVE family text";
    public const string CancelReason = "LEAK-CANCEL-REASON duplicate";

    /// <summary>Now: 2 June 2025 10:00. Blockers: 1 housing (reassigned, escalated), 2 safeguarding, 3 equipment (resolved), 4 transport (made sensitive), 5 other (cancelled). Family messages: 1 a concern answered and closed, 2 a note, 3 a concern about housing read by the team.</summary>
    public static JourneyDriver Build()
    {
        var driver = new JourneyDriver(London(2025, 4, 1)).InHospital();
        driver.Now = London(2025, 4, 10);
        driver.Do(o => new ChangeStage(o, "transition-1", MedicallyOptimised));
        driver.Do(o => new ChangeStage(o, "transition-1", DischargePlanning));
        driver.Do(o => new CompleteMilestone(o, "transition-1", "parent-training-signed-off"));

        var housing = driver.RaiseBlocker(BlockerCategory.HousingAdaptation, "housing.newham", 120, HousingProfessionalText, HousingFamilyText);
        driver.RaiseBlocker(BlockerCategory.SocialCareSafeguarding, "social-care.newham", 60, SafeguardingProfessionalText, SafeguardingFamilyText);
        var equipment = driver.RaiseBlocker(BlockerCategory.Equipment, "health.equipment.newham", 20, "Hoist on back-order", null);
        var transport = driver.RaiseBlocker(BlockerCategory.Transport, "health.equipment.newham", 40, "Ambulance crew", LaterSensitiveFamilyText);
        var other = driver.RaiseBlocker(BlockerCategory.Other, "social-care.newham", 40, "Interpreter", "Booking an interpreter.");

        driver.Now = London(2025, 4, 20);
        driver.Do(o => new UpdateBlockerProgress(o, housing, BlockerStatus.InProgress, ProfessionalText: HousingUpdatedProfessionalText));
        driver.Do(o => new UpdateBlockerProgress(o, transport, MarkSensitive: true));
        driver.Do(o => new SetBlockerStartsAfter(o, transport, equipment));
        driver.Do(o => new CancelBlocker(o, other, CancelReason));
        driver.Do(o => new EscalateBlocker(o, housing, EscalationReason));
        driver.Do(o => new AcknowledgeEscalation(o, housing, AcknowledgementNote), HousingOfficer);
        driver.Now = London(2025, 4, 25);
        driver.Do(o => new ReassignBlocker(o, housing, "social-care.newham", "Chloe Hart", ReassignReason));
        driver.Do(o => new ResolveBlocker(o, equipment, EquipmentResolutionNote, "Your hoist has been fitted."));

        driver.Do(o => new BookAppointment(o, "health.equipment.newham", London(2025, 5, 1, 14), TimeSpan.FromHours(2), "Family home", "Hoist training at home"));
        driver.Now = London(2025, 5, 1, 17);
        driver.Do(o => new UpdateAppointment(o, "appointment-1", AppointmentStatus.Attended));
        driver.Do(o => new BookAppointment(o, "housing.newham", London(2025, 6, 10, 11), TimeSpan.FromHours(1), "Newham Civic Centre", "Housing needs assessment"));
        driver.Do(o => new BookAppointment(o, "housing.newham", London(2025, 5, 20, 11), TimeSpan.FromHours(1), "Newham Civic Centre", "Viewing"));
        driver.Do(o => new FlagConcern(o, "Who do we call if the hoist stops working?"), Parent);
        driver.Now = London(2025, 5, 2, 10);
        driver.Do(o => new AnswerConcern(o, "message-1", "Call the equipment service on the number on the hoist; they answer day and night."));
        driver.Now = London(2025, 5, 3, 10);
        driver.Do(o => new CloseConcern(o, "message-1"));
        driver.Now = London(2025, 5, 21, 9);
        driver.Do(o => new UpdateAppointment(o, "appointment-3", AppointmentStatus.DidNotAttend));
        driver.Do(o => new AddFamilyNote(o, "She loves music; please keep her radio on."), Parent);
        driver.Do(o => new SetFamilyTravel(o, TravelMode.Car, 40, 6.80m, 3.50m, 4m), Parent);
        driver.Do(o => new FlagConcern(o, "Nobody has called about the housing.", housing), Parent);
        driver.Do(o => new StartTransition(o, TransitionKind.StartingEducation));
        driver.Do(o => new AcknowledgeConcern(o, "message-3"));

        driver.Now = London(2025, 6, 2, 10);
        return driver;
    }
}
