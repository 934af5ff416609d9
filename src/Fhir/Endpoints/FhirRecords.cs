using CareTwin.Grains.Access;
using CareTwin.Grains.Boards;
using CareTwin.Grains.Forecasts;
using CareTwin.Grains.Services;
using CareTwin.Journey.Children;
using CareTwin.Journey.Delays;
using CareTwin.Journey.Transitions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace CareTwin.Fhir.Endpoints;

/// <summary>What the FHIR endpoints read: a child only through the <see cref="AccessGate"/> (which audits the read), the boards to find a child by NHS number, and the service directory.</summary>
public sealed class FhirRecords(AccessGate gate, IGrainFactory grains, LeadTimesOnThisNode leadTimes, IOptions<FhirOptions> options, TimeProvider clock)
{
    /// <summary>Forecasts as of now, with the lead times learned from every resolved blocker.</summary>
    public async Task<FhirForecasts> ForecastsAsync() =>
        new(await leadTimes.GetAsync(), clock.GetUtcNow());

    /// <summary>
    /// The child's journey as this caller may see it (other services' sensitive blockers left out, as for every other
    /// view), audited; null both when the caller may not see the child and when there is no such child.
    /// </summary>
    public async Task<ChildJourney?> ChildAsync(Caller caller, string childId, HttpContext http, string detail)
    {
        var access = await gate.ForChildAsync(caller, AccessAction.ViewChild, childId, FhirCallers.ChannelOf(http), detail: detail);
        return access is { Allowed: true, Journey: { IsRegistered: true } journey } ? journey : null;
    }

    /// <summary>The children on the searched boards with this NHS number (normally one). Not yet checked against the caller.</summary>
    public async Task<IReadOnlyList<string>> ChildrenWithAsync(NhsNumber number)
    {
        var boards = options.Value.SearchBoards.Select(b => BoardKey.TryParse(b, out var key) ? key : null).OfType<BoardKey>().Distinct();
        var snapshots = await Task.WhenAll(boards.Select(b => grains.GetGrain<IBoardGrain>(b.ToString()).GetSnapshot()));
        return [.. snapshots.SelectMany(s => s.Summary.Rows.Values).Where(r => r.NhsNumber == number).Select(r => r.ChildId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    public Task<ServiceDirectorySnapshot> DirectoryAsync() => grains.GetGrain<IServiceDirectoryGrain>(IServiceDirectoryGrain.DefaultKey).GetDirectory();

    /// <summary>
    /// Reading the service directory's agencies (Organization): for professionals and systems, never families or
    /// operators, audited under the service (or the whole directory).
    /// </summary>
    public async Task<AccessDecision> DirectoryReadAsync(Caller caller, string subject, HttpContext http)
    {
        var decision = caller.Role switch
        {
            CallerRole.Coordinator or CallerRole.AgencyStaff or CallerRole.ExternalSystem => AccessDecision.Allow("Professionals and their systems look agencies up."),
            CallerRole.Family => AccessDecision.Deny("Families see the family view, not the professional record."),
            CallerRole.Operator => AccessDecision.Deny("Operators run the servers and see no child's record."),
            _ => AccessDecision.Deny("Not signed in and no valid API key."),
        };
        await gate.RecordAsync(caller, subject, AccessAction.ViewService, "FHIR Organization", decision, FhirCallers.ChannelOf(http));
        return decision;
    }
}

/// <summary>When a child is likely to be ready, for the CarePlan of each transition in progress.</summary>
public sealed record FhirForecasts(LeadTimes LeadTimes, DateTimeOffset Now)
{
    public ReadyForecast? For(ChildJourney journey, Transition transition) => ReadyForecaster.Forecast(journey, transition, Now, LeadTimes);
}
