namespace CareTwin.Journey.Transitions;

public enum TransitionKind
{
    HospitalDischarge,
    Diagnosis,
    StartingEducation,
    MovingHome,
    TransitionToAdultServices,
}

/// <summary>Where a child went on leaving hospital.</summary>
public enum DischargeDestination
{
    FamilyHome,
    FosterCare,
    ResidentialPlacement,
    Hospice,
    AnotherHospital,
    Other,
}
