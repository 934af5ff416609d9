using CareTwin.Grains.Access;
using CareTwin.Journey.Services;

namespace CareTwin.Web.SignIn;

/// <summary>One of the demo's "sign in as" people (demo mode only; invented names, services of the demo region).</summary>
public sealed record DemoUser(string Key, string Description, Caller Caller);

/// <summary>
/// The people a newcomer can sign in as, without a password, when the host runs in demo mode. They exist
/// nowhere else: outside demo mode the sign-in page offers only configured staff accounts and invite codes.
/// </summary>
public static class DemoUsers
{
    public static IReadOnlyList<DemoUser> All { get; } =
    [
        new("coordinator", "Discharge coordinator: sees every child on the North Thames board",
            Caller.Coordinator("demo.coordinator", "Priya Shah")),
        new("housing-officer", "Housing officer, Eastmarsh Council housing team",
            Caller.AgencyStaff("demo.housing-officer", "Callum Reid", ServiceKey.Parse("housing.eastmarsh"))),
        new("social-worker", "Social worker, Eastmarsh Council disabled children's team",
            Caller.AgencyStaff("demo.social-worker", "Chloe Hart", ServiceKey.Parse("social-care.disabled-children.eastmarsh"))),
        new("equipment-officer", "Equipment officer, North Thames community equipment service",
            Caller.AgencyStaff("demo.equipment-officer", "Dev Patel", ServiceKey.Parse("health.equipment.north-thames"))),
        new("operator", "Operator: runs the CareTwin servers; sees the Orleans dashboard and no child's record",
            Caller.Operator("demo.operator", "Sam Okafor")),
    ];

    public static DemoUser? Find(string? key) => All.FirstOrDefault(u => u.Key == key);
}
