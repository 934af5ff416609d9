using System.Collections.Immutable;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Services;

namespace CareTwin.Journey.Demo;

/// <summary>The synthetic region's hospitals, boroughs and services (invented names throughout).</summary>
internal static class DemoAgencies
{
    public const string RegionKey = "north-thames";
    public const string RegionName = "North Thames (synthetic demo region)";

    public static ImmutableArray<string> Boroughs { get; } = ["eastmarsh", "riverside", "northfield"];

    public static ImmutableArray<DemoHospital> Hospitals { get; } =
    [
        new("royal-thamesbank", "Royal Thamesbank Children's Hospital"),
        new("st-brigids", "St Brigid's Children's Hospital"),
        new("eastmarsh-general", "Eastmarsh General Hospital"),
    ];

    public const string VentilationTeam = "health.ltv-team.royal-thamesbank";
    public const string Equipment = "health.equipment.north-thames";
    public const string ContinuingCare = "health.continuing-care.north-thames";
    public const string Transport = "health.transport.north-thames";
    public const string FamilySupport = "voluntary.little-lanterns";
    public const string CareAgency = "voluntary.carers-together";

    public static ImmutableArray<ServiceProfile> Services { get; } =
    [
        Service(VentilationTeam, "Long-term ventilation team, Royal Thamesbank", AgencyKind.Health, 28,
            [(BlockerCategory.Medical, 21), (BlockerCategory.CarerTraining, 42)], "Grace Adeyemi", "Nadia Rahman", "Dr Colin Fairweather"),
        Service("health.community-nursing.eastmarsh", "Eastmarsh children's community nursing", AgencyKind.Health, 28,
            [(BlockerCategory.CarerTraining, 35), (BlockerCategory.CarePackage, 56)], "Owen Pritchard", "Leah Mensah", "Harriet Cole"),
        Service("health.community-nursing.riverside", "Riverside children's community nursing", AgencyKind.Health, 28,
            [(BlockerCategory.CarerTraining, 35), (BlockerCategory.CarePackage, 56)], "Aisha Karim", "Rhys Llewellyn", "Margaret Osei"),
        Service(Equipment, "North Thames community equipment service", AgencyKind.Health, 21,
            [(BlockerCategory.Equipment, 21)], "Dev Patel", "Sinead Byrne", "Graham Whitlock"),
        Service(ContinuingCare, "North Thames children's continuing care panel", AgencyKind.Health, 42,
            [(BlockerCategory.FundingDecision, 42)], "Hannah Brooks", "Tunde Bakare", "Elizabeth Marlow"),
        Service(Transport, "North Thames children's transport service", AgencyKind.Health, 14,
            [(BlockerCategory.Transport, 14)], "Marek Nowak", "Josie Fletcher", "Anthony Reid"),
        Service("social-care.disabled-children.eastmarsh", "Eastmarsh Council disabled children's team", AgencyKind.SocialCare, 42,
            [(BlockerCategory.CarePackage, 56), (BlockerCategory.SocialCareSafeguarding, 28)], "Chloe Hart", "Imran Siddiqui", "Patricia Greaves"),
        Service("social-care.disabled-children.riverside", "Riverside Council disabled children's team", AgencyKind.SocialCare, 42,
            [(BlockerCategory.CarePackage, 56), (BlockerCategory.SocialCareSafeguarding, 28)], "Bethan Evans", "Kwame Asante", "Robert Lyle"),
        Service("social-care.disabled-children.northfield", "Northfield Council disabled children's team", AgencyKind.SocialCare, 42,
            [(BlockerCategory.CarePackage, 56), (BlockerCategory.SocialCareSafeguarding, 28)], "Maya Lindqvist", "Samuel Achterberg", "Fiona McBride"),
        Service("housing.eastmarsh", "Eastmarsh Council housing team", AgencyKind.Housing, 60,
            [(BlockerCategory.HousingAdaptation, 90), (BlockerCategory.FamilyChoice, 45)], "Callum Reid", "Zara Hussain", "Nigel Parfitt"),
        Service("housing.riverside", "Riverside Council housing team", AgencyKind.Housing, 60,
            [(BlockerCategory.HousingAdaptation, 90), (BlockerCategory.FamilyChoice, 45)], "Ellie Turner", "Femi Olawale", "Catherine Doyle"),
        Service("housing.adaptations.northfield", "Northfield home adaptations service", AgencyKind.Housing, 60,
            [(BlockerCategory.HousingAdaptation, 120), (BlockerCategory.FamilyChoice, 45)], "Luke Harding", "Priyanka Nair", "Douglas Fenwick"),
        Service("education.send.eastmarsh", "Eastmarsh special educational needs team", AgencyKind.Education, 42,
            [(BlockerCategory.Education, 42)], "Amira Haddad", "Joe Sutherland", "Helen Ashworth"),
        Service("education.send.riverside", "Riverside special educational needs team", AgencyKind.Education, 42,
            [(BlockerCategory.Education, 42)], "Tom Kingsley", "Ruth Adebayo", "Ian Marchetti"),
        Service(FamilySupport, "Little Lanterns family support (charity)", AgencyKind.Voluntary, 30,
            [(BlockerCategory.Other, 30)], "Sophie Green", "Daniel Ocampo", "Moira Campbell"),
        Service(CareAgency, "Carers Together home care (charity)", AgencyKind.Voluntary, 56,
            [(BlockerCategory.CarePackage, 56)], "Kiran Bhatt", "Lucy Ferreira", "Martin Hale"),
    ];

    /// <summary>
    /// Each hospital's children's ward, for the number families ring. Kept apart from <see cref="Services"/>, which the
    /// children's scripts draw owners from, so adding a ward does not change the generated region. The numbers are in
    /// Ofcom's range for drama (020 7946 0000 to 0999): they ring no one.
    /// </summary>
    public static ImmutableArray<ServiceProfile> Wards { get; } =
    [
        Ward("health.ward.royal-thamesbank", "Kingfisher ward, Royal Thamesbank Children's Hospital", "020 7946 0101", "royal-thamesbank", "Abigail Moore", "Farid Haque", "Dr Susan Pike"),
        Ward("health.ward.st-brigids", "Rowan ward, St Brigid's Children's Hospital", "020 7946 0202", "st-brigids", "Niamh Walsh", "Oluwaseun Ade", "Dr Peter Grant"),
        Ward("health.ward.eastmarsh-general", "Children's ward, Eastmarsh General Hospital", "020 7946 0303", "eastmarsh-general", "Harriet Blake", "Yusuf Demir", "Dr Alice Tennant"),
    ];

    public static string CommunityNursing(string borough) =>
        borough == "eastmarsh" ? "health.community-nursing.eastmarsh" : "health.community-nursing.riverside";

    public static string SocialCare(string borough) => $"social-care.disabled-children.{borough}";

    public static string Housing(string borough) =>
        borough == "northfield" ? "housing.adaptations.northfield" : $"housing.{borough}";

    public static string Education(string borough) =>
        borough == "eastmarsh" ? "education.send.eastmarsh" : "education.send.riverside";

    private static ServiceProfile Service(
        string key, string name, AgencyKind kind, int defaultSlaDays,
        (BlockerCategory Category, int Days)[] slaDays, string teamLead, string manager, string director) =>
        new(
            ServiceKey.Parse(key), name, kind, defaultSlaDays,
            slaDays.ToImmutableDictionary(s => s.Category, s => s.Days),
            [
                Step(1, teamLead, "Team lead", key, TimeSpan.FromHours(48)),
                Step(2, manager, "Service manager", key, TimeSpan.FromHours(48)),
                Step(3, director, "Director", key, TimeSpan.FromHours(72)),
            ]);

    private static ServiceProfile Ward(string key, string name, string phone, string hospitalKey, string nurseInCharge, string matron, string director) =>
        Service(key, name, AgencyKind.Health, 14, [(BlockerCategory.Medical, 14)], nurseInCharge, matron, director) with { Phone = phone, WardOf = hospitalKey };

    private static EscalationStep Step(int level, string name, string role, string key, TimeSpan window) =>
        new(level, new EscalationContact(name, role, $"{name.ToLowerInvariant().Replace(' ', '.').Replace("'", "")}@{key}.example"), window);
}
