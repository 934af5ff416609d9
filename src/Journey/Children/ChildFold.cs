namespace CareTwin.Journey.Children;

internal static class ChildFold
{
    public static ChildJourney Apply(ChildJourney state, ChildRegistered e) => state with
    {
        Child = new ChildProfile(e.ChildId, e.NhsNumber, e.GivenName, e.FamilyName, e.DateOfBirth,
            e.HospitalKey, e.RegionKey, e.CareTeam.IsDefault ? [] : e.CareTeam, e.Provenance.At),
    };
}
