using CareTwin.Fhir;
using CareTwin.Fhir.Endpoints;
using CareTwin.Web.Hosting;
using CareTwin.Web.SignIn;
using Microsoft.Extensions.Options;

namespace CareTwin.Silo.Composition;

internal static class FhirComposition
{
    /// <summary>
    /// The read-only FHIR R4 API (src/Fhir) at /fhir/R4: API keys as for caretwin.v1, staff by the web's sign-in
    /// cookie, and a search by NHS number looks through the boards the web offers (section "Fhir" may add more).
    /// </summary>
    public static void AddFhirApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddCareTwinFhir(new FhirStaffSignIn(user => CallerClaims.TryGetCaller(user, out var caller) ? caller : null));
        builder.Services.AddOptions<FhirOptions>().Configure<IOptions<WebOptions>>((fhir, web) =>
            fhir.SearchBoards.AddRange(web.Value.Boards.Select(b => b.Key).Except(fhir.SearchBoards)));
    }

    public static void MapFhirApi(this WebApplication app) => app.MapCareTwinFhir();
}
