using CareTwin.Fhir.Endpoints;
using CareTwin.Grains.Forecasts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CareTwin.Fhir;

public static class FhirServiceCollectionExtensions
{
    /// <summary>
    /// The read-only FHIR R4 API's services (settings: section <c>Fhir</c>). The host must also provide the caretwin.v1
    /// API's key registry and rate limiter (<c>AddCareTwinApi</c>), the <c>AccessGate</c> and the Orleans grains;
    /// <paramref name="staff"/> says who a signed-in person is, when the host has a web sign-in.
    /// </summary>
    public static IServiceCollection AddCareTwinFhir(this IServiceCollection services, FhirStaffSignIn? staff = null)
    {
        services.AddOptions<FhirOptions>().BindConfiguration(FhirOptions.SectionName);
        services.TryAddSingleton(staff ?? FhirStaffSignIn.None);
        services.TryAddSingleton<FhirCallers>();
        services.TryAddSingleton<FhirRecords>();
        services.TryAddSingleton<LeadTimesOnThisNode>();
        return services;
    }
}
