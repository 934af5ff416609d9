using CareTwin.Grains.Access;

namespace CareTwin.Web.Views;

/// <summary>A child's family access as the coordinator manages it on the child page.</summary>
/// <param name="ConsentNeeded">The young person is 16 or over and the trust's setting (Access:FamilyAccessFrom16) makes family access wait for their agreement.</param>
public sealed record FamilyAccessView(FamilyAccessOverview Overview, bool ConsentNeeded);
