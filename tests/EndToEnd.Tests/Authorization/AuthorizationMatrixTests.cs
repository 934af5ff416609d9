using System.Net;
using CareTwin.Api.Contracts.V1;
using CareTwin.EndToEnd.Tests.Infrastructure;
using CareTwin.Grains.Access;
using CareTwin.Grains.Children;
using CareTwin.Journey.Appointments;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Escalations;
using CareTwin.Journey.Transitions;
using CareTwin.Testing;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Health.V1;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using BlockerCategory = CareTwin.Api.Contracts.V1.BlockerCategory;
using BlockerStatus = CareTwin.Api.Contracts.V1.BlockerStatus;
using AppointmentStatus = CareTwin.Api.Contracts.V1.AppointmentStatus;
using TransitionKind = CareTwin.Api.Contracts.V1.TransitionKind;

namespace CareTwin.EndToEnd.Tests.Authorization;

/// <summary>
/// Every gRPC method (each Ingest item kind and watch too, and health), every hub method and every page, tried by
/// every role against one child on one host: allowed or denied as the tables say, and every attempt on a record
/// in that record's audit trail. Changes name the involved service's records (housing's blocker, an appointment
/// with housing) unless the row says the caller's own service.
/// </summary>
[Collection(EndToEndCollection.Name)]
public class AuthorizationMatrixTests(EndToEndSite e2e) : IAsyncLifetime
{
    // A = allowed, D = denied. Columns: the roles of MatrixScene, in this order:
    //   coordinator, staff (involved service), other-staff, family, other-family, anonymous, expired-invite,
    //   removed-family, key (involved service), other-key, epr-key.

    private static readonly (string Surface, string Cells)[] JourneysTable =
    [
        //                                                   co st os fa of an ex rm ke ok ep
        ("Journeys/RegisterChild",                          "D  D  D  D  D  D  D  D  D  D  A"),
        ("Journeys/GetJourney",                             "D  D  D  D  D  D  D  D  A  D  A"),
        ("Journeys/StartTransition",                        "D  D  D  D  D  D  D  D  D  D  A"),
        ("Journeys/ChangeStage",                            "D  D  D  D  D  D  D  D  D  D  A"),
        ("Journeys/CompleteMilestone",                      "D  D  D  D  D  D  D  D  D  D  A"),
        ("Journeys/BookAppointment",                        "D  D  D  D  D  D  D  D  A  D  D"),
        ("Journeys/UpdateAppointment",                      "D  D  D  D  D  D  D  D  A  D  D"),
        ("Journeys/RaiseBlocker",                           "D  D  D  D  D  D  D  D  A  D  D"),
        ("Journeys/UpdateBlocker",                          "D  D  D  D  D  D  D  D  A  D  D"),
        ("Journeys/ReassignBlocker",                        "D  D  D  D  D  D  D  D  A  D  D"),
        ("Journeys/SetBlockerStartsAfter",                  "D  D  D  D  D  D  D  D  A  D  D"),
        ("Journeys/ResolveBlocker",                         "D  D  D  D  D  D  D  D  A  D  D"),
        ("Journeys/CancelBlocker",                          "D  D  D  D  D  D  D  D  A  D  D"),
        ("Journeys/EscalateBlocker",                        "D  D  D  D  D  D  D  D  D  D  D"),
        ("Journeys/AcknowledgeEscalation",                  "D  D  D  D  D  D  D  D  A  D  D"),
    ];

    private static readonly (string Surface, string Cells)[] OtherGrpcTable =
    [
        //                                                   co st os fa of an ex rm ke ok ep
        ("Journeys/BookAppointment for its own service",    "D  D  D  D  D  D  D  D  A  D  A"),
        ("Journeys/RaiseBlocker for its own service",       "D  D  D  D  D  D  D  D  A  D  A"),
        ("Watch/WatchChild",                                "D  D  D  D  D  D  D  D  A  D  A"),
        ("Watch/WatchService",                              "D  D  D  D  D  D  D  D  A  D  D"),
        ("Watch/WatchBoard",                                "D  D  D  D  D  D  D  D  D  D  A"),
        ("grpc.health.v1.Health/Check",                     "A  A  A  A  A  A  A  A  A  A  A"),
        ("grpc.health.v1.Health/Watch",                     "A  A  A  A  A  A  A  A  A  A  A"),
    ];

    private static readonly (string Surface, string Cells)[] HubTable =
    [
        //                                                   co st os fa of an ex rm ke ok ep
        ("WatchBoard",                                      "A  D  D  D  D  D  D  D  D  D  D"),
        ("WatchChild",                                      "A  A  D  D  D  D  D  D  D  D  D"),
        ("WatchFamily",                                     "A  D  D  A  D  D  D  D  D  D  D"),
        ("WatchService",                                    "A  A  D  D  D  D  D  D  D  D  D"),
        ("GetFamilyMessages",                               "A  D  D  A  D  D  D  D  D  D  D"),
        ("GetChildFamilyMessages",                          "A  A  D  D  D  D  D  D  D  D  D"),
        ("GetAccessLog",                                    "A  D  D  D  D  D  D  D  D  D  D"),
        ("GetFamilyAccess",                                 "A  D  D  D  D  D  D  D  D  D  D"),
        ("IssueInvite",                                     "A  D  D  D  D  D  D  D  D  D  D"),
        ("RevokeInvite",                                    "A  D  D  D  D  D  D  D  D  D  D"),
        ("RemoveFamilyMember",                              "A  D  D  D  D  D  D  D  D  D  D"),
        ("RecordYoungPersonConsent",                        "A  D  D  D  D  D  D  D  D  D  D"),
        ("RaiseBlocker",                                    "A  A  D  D  D  D  D  D  D  D  D"),
        ("UpdateBlockerProgress",                           "A  A  D  D  D  D  D  D  D  D  D"),
        ("ResolveBlocker",                                  "A  A  D  D  D  D  D  D  D  D  D"),
        ("ReassignBlocker",                                 "A  A  D  D  D  D  D  D  D  D  D"),
        ("SetBlockerStartsAfter",                           "A  A  D  D  D  D  D  D  D  D  D"),
        ("EscalateBlocker",                                 "A  D  D  D  D  D  D  D  D  D  D"),
        ("AcknowledgeEscalation",                           "A  A  D  D  D  D  D  D  D  D  D"),
        ("ChangeStage",                                     "A  D  D  D  D  D  D  D  D  D  D"),
        ("AddFamilyNote",                                   "A  D  D  A  D  D  D  D  D  D  D"),
        ("FlagConcern",                                     "A  D  D  A  D  D  D  D  D  D  D"),
        ("AcknowledgeConcern",                              "A  D  D  D  D  D  D  D  D  D  D"),
        ("AnswerConcern",                                   "A  D  D  D  D  D  D  D  D  D  D"),
        ("CloseConcern",                                    "A  D  D  D  D  D  D  D  D  D  D"),
        // An MDT for the involved service: its staff attend; nobody else but a coordinator.
        ("WatchMeeting",                                    "A  A  D  D  D  D  D  D  D  D  D"),
        ("WatchServiceMeetings",                            "A  A  D  D  D  D  D  D  D  D  D"),
    ];

    private static readonly (string Surface, string Cells)[] PageTable =
    [
        //                                                   co st os fa of an ex rm ke ok ep
        ("GET /board",                                      "A  D  D  D  D  D  D  D  D  D  D"),
        ("GET /board/export.csv",                           "A  D  D  D  D  D  D  D  D  D  D"),
        ("GET /children/{child}",                           "A  A  D  D  D  D  D  D  D  D  D"),
        ("GET /services/{involved service}",                "A  A  D  D  D  D  D  D  D  D  D"),
        ("GET /family/{child}",                             "A  D  D  A  D  D  D  D  D  D  D"),
        ("GET /family/{child}/time-and-money",              "A  D  D  A  D  D  D  D  D  D  D"),
        ("GET /meetings/new",                               "A  D  D  D  D  D  D  D  D  D  D"),
        ("GET /meetings/{meeting}",                         "A  A  D  D  D  D  D  D  D  D  D"),
        ("GET /meetings/{meeting}/minutes",                 "A  A  D  D  D  D  D  D  D  D  D"),
        ("GET /sign-in",                                    "A  A  A  A  A  A  A  A  A  A  A"),
        ("GET /join",                                       "A  A  A  A  A  A  A  A  A  A  A"),
        ("GET /healthz",                                    "A  A  A  A  A  A  A  A  A  A  A"),
    ];

    // Every form the web takes, named by its route as the app maps it. The meeting's forms are the chair's: a
    // coordinator only, even the involved service's staff who attend; the family's forms are the family's own.
    private static readonly (string Surface, string Cells)[] PostTable =
    [
        //                                                   co st os fa of an ex rm ke ok ep
        ("POST /meetings/new",                              "A  D  D  D  D  D  D  D  D  D  D"),
        ("POST /meetings/{meetingId}/attendees",            "A  D  D  D  D  D  D  D  D  D  D"),
        ("POST /meetings/{meetingId}/agenda",               "A  D  D  D  D  D  D  D  D  D  D"),
        ("POST /meetings/{meetingId}/children/{childId}/actions", "A  D  D  D  D  D  D  D  D  D  D"),
        ("POST /meetings/{meetingId}/close",                "A  D  D  D  D  D  D  D  D  D  D"),
        // A coordinator may tell the team something on the family's behalf, as the hub's AddFamilyNote/FlagConcern allow;
        // only the family says how they travel (the child's rules refuse a coordinator once the gate lets them at the record).
        ("POST /family/{childId}/messages",                 "A  D  D  A  D  D  D  D  D  D  D"),
        ("POST /family/{childId}/travel",                   "D  D  D  A  D  D  D  D  D  D  D"),
    ];

    /// <summary>
    /// Forms anyone may post, signed in or not (signing in, joining, signing out): no record is named, so only the
    /// anti-forgery token guards them (<see cref="A_form_posted_without_its_anti_forgery_token_is_refused_and_changes_nothing"/>).
    /// </summary>
    private static readonly string[] OpenToEveryone = ["POST /sign-in", "POST /sign-in/demo", "POST /join", "POST /sign-out"];

    private const string NoAccess = "You do not have access to this record.";

    /// <summary>
    /// What a caller who may see the record is told when they may not do this action there: true, in their words
    /// (the access policy's <c>Told</c>), rather than "no access".
    /// </summary>
    private static readonly HashSet<string> ToldWhatIsTrue =
    [
        "Only a coordinator can escalate a blocker.",
        "Only a coordinator can change the stage of a journey.",
        "Only the family can add their notes and concerns.",
        "Only the owning service or a coordinator can resolve this blocker.",
        "Only the owning service or a coordinator can update this blocker.",
        "Only the owning service or a coordinator can reassign this blocker.",
        "Only the owning service or a coordinator can acknowledge this escalation.",
        "You can raise a blocker only for your own service; a coordinator can raise one for any service.",
        "Only a coordinator can answer or close a family's concern.",
    ];

    private MatrixScene _scene = null!;
    private readonly Dictionary<string, RawGrpcChannel> _grpc = [];
    private readonly Dictionary<string, HttpClient> _web = [];
    private int _sequence;
    private readonly Dictionary<string, Target> _concerns = [];
    private string? _meetingId;

    private CareTwinSite Site => e2e.Site;

    private string Child => _scene.ChildId;

    public async Task InitializeAsync()
    {
        _scene = await CreateSceneAsync(e2e);
        foreach (var role in _scene.Roles)
        {
            _grpc[role.Name] = e2e.Grpc(role.Key?.Key, role.CookieHeader(Site.Address));
            var web = new HttpClient(new HttpClientHandler { CookieContainer = role.Cookies, AllowAutoRedirect = false }) { BaseAddress = Site.Address };
            foreach (var (name, value) in role.WebHeaders) web.DefaultRequestHeaders.Add(name, value);
            _web[role.Name] = web;
        }
    }

    /// <summary>The roles around the matrix's child; a variant may sign them in another way.</summary>
    protected virtual Task<MatrixScene> CreateSceneAsync(EndToEndSite site) => MatrixScene.CreateAsync(site);

    /// <summary>Added to the title of the matrices written to artifacts/.</summary>
    protected virtual string Variant => "";

    public Task DisposeAsync()
    {
        foreach (var client in _grpc.Values) client.Dispose();
        foreach (var client in _web.Values) client.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public Task Every_grpc_method_and_ingest_item_answers_each_role_as_the_table_says_and_audits_it()
    {
        // An Ingest item is answered exactly as the same change sent alone.
        var table = JourneysTable.Concat(OtherGrpcTable)
            .Concat(Changes.Select(c => ($"Ingest item {c.Method}", JourneysTable.Single(r => r.Surface == $"Journeys/{c.Method}").Cells)))
            .ToList();
        return new Matrix(e2e, _scene).RunAsync("grpc" + Variant, table, [.. GrpcSurfaces()]);
    }

    [Fact]
    public Task Every_hub_method_answers_each_role_as_the_table_says_and_audits_it() =>
        new Matrix(e2e, _scene).RunAsync("hub" + Variant, HubTable, [.. HubSurfaces()]);

    [Fact]
    public Task Every_page_answers_each_role_as_the_table_says_and_audits_it() =>
        new Matrix(e2e, _scene).RunAsync("pages" + Variant, PageTable, [.. PageSurfaces()]);

    [Fact]
    public Task Every_form_post_answers_each_role_as_the_table_says_changes_only_what_it_may_and_audits_it() =>
        new Matrix(e2e, _scene).RunAsync("posts" + Variant, PostTable, [.. PostSurfaces()]);

    [Fact]
    public async Task A_form_posted_without_its_anti_forgery_token_is_refused_and_changes_nothing()
    {
        var problems = new List<string>();
        // Each matrix form, by a role it allows.
        foreach (var surface in PostSurfaces(withToken: false))
        {
            var cells = PostTable.Single(r => r.Surface == surface.Name).Cells.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var role = _scene.Roles[Array.IndexOf(cells, "A")];
            var target = await surface.Prepare();
            var before = await surface.State!(target);
            var outcome = await surface.Invoke(role, target);
            if (outcome.Evidence != "HTTP 400") problems.Add($"{surface.Name} as {role.Name}: {outcome.Verdict} ({outcome.Evidence}), not 400");
            if (await surface.State(target) != before) problems.Add($"{surface.Name} as {role.Name}: changed ({before} before)");
        }

        // The forms open to everyone: nobody is signed in, no invite is used, nobody is signed out.
        using (var stranger = await FreshBrowserAsync(new CookieContainer()))
        {
            await Expect400Async(stranger, "/sign-in/demo", new() { ["user"] = "coordinator" });
            await Expect400Async(stranger, "/sign-in", new() { ["userName"] = "coordinator", ["password"] = "not-the-password" });
            var code = await Site.InviteCodeAsync(Child);
            await Expect400Async(stranger, "/join", new() { ["code"] = code, ["name"] = "Forged Parent" });
            await ExpectSignInAsync(stranger);
            // The code is still unused: it still lets the family in.
            await RawHubClient.JoinAsync(Site.Address, code, "Invited Parent");
        }
        using (var coordinator = await FreshBrowserAsync(await RawHubClient.SignInAsync(Site.Address, "coordinator")))
        {
            await Expect400Async(coordinator, "/sign-out", []);
            using var board = await coordinator.GetAsync($"/board?board={EndToEndSite.Board}");
            if (board.StatusCode != HttpStatusCode.OK) problems.Add($"POST /sign-out without a token signed the coordinator out (the board answered {(int)board.StatusCode})");
        }
        Assert.True(problems.Count == 0, string.Join('\n', problems));

        async Task Expect400Async(HttpClient browser, string path, Dictionary<string, string> form)
        {
            using var response = await browser.PostAsync(path, new FormUrlEncodedContent(form));
            if (response.StatusCode != HttpStatusCode.BadRequest || !(await response.Content.ReadAsStringAsync()).Contains("This form has expired", StringComparison.Ordinal))
                problems.Add($"POST {path} without a token answered {(int)response.StatusCode}, not 400 'This form has expired'");
        }

        async Task ExpectSignInAsync(HttpClient browser)
        {
            using var board = await browser.GetAsync($"/board?board={EndToEndSite.Board}");
            if (board.StatusCode != HttpStatusCode.Redirect) problems.Add($"a stranger's forged sign-in or join signed them in (the board answered {(int)board.StatusCode})");
        }
    }

    /// <summary>A browser with these cookies that has been shown the sign-in page (so it holds the anti-forgery cookie).</summary>
    private async Task<HttpClient> FreshBrowserAsync(CookieContainer cookies)
    {
        var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = Site.Address };
        (await browser.GetAsync("/sign-in")).Dispose();
        return browser;
    }

    [Fact]
    public void Every_post_route_the_web_maps_is_in_the_post_matrix_or_open_to_everyone()
    {
        // gRPC methods (and their REST routes) are in the gRPC matrix; the hub's negotiate in the hub matrix.
        var posts = Site.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains("POST") == true
                && e.Metadata.GetMetadata<Grpc.AspNetCore.Server.GrpcMethodMetadata>() is null
                && e.Metadata.GetMetadata<Microsoft.AspNetCore.SignalR.HubMetadata>() is null)
            .Select(e => "POST /" + e.RoutePattern.RawText!.TrimStart('/'))
            .Distinct().Order(StringComparer.Ordinal).ToList();

        Assert.Equal(PostTable.Select(r => r.Surface).Concat(OpenToEveryone).Order(StringComparer.Ordinal), posts);
    }

    // ---- gRPC ----

    /// <summary>Each change the API takes, with what it acts on; sent alone (Journeys) and as an Ingest item.</summary>
    private IEnumerable<(string Method, Func<Task<Target>> Prepare, Func<Role, Target, IMessage> Request)> Changes =>
    [
        ("RegisterChild", NewChildIdAsync, (_, t) => new RegisterChildRequest
        {
            ChildId = t.ChildId, ExternalId = ExternalId(), NhsNumber = "943 476 5919", GivenName = "New", FamilyName = "Child",
            DateOfBirth = new Date { Year = 2022, Month = 5, Day = 1 }, HospitalKey = CareTwinSite.Hospital, RegionKey = CareTwinSite.Region,
        }),
        ("StartTransition", ChildWithoutTransitionAsync, (_, t) => new StartTransitionRequest { ChildId = t.ChildId, ExternalId = ExternalId(), Kind = TransitionKind.HospitalDischarge }),
        ("ChangeStage", ChildInDischargePlanningAsync, (_, t) => new ChangeStageRequest
        {
            ChildId = t.ChildId, ExternalId = ExternalId(), TransitionId = "transition-1", Stage = HospitalDischargeStages.ReadyForDischarge,
        }),
        ("CompleteMilestone", ChildInDischargePlanningAsync, (_, t) => new CompleteMilestoneRequest
        {
            ChildId = t.ChildId, ExternalId = ExternalId(), TransitionId = "transition-1", Milestone = "equipment-delivered",
        }),
        ("BookAppointment", TheChildAsync, (_, t) => Appointment(t, EndToEndSite.Housing)),
        ("UpdateAppointment", FreshAppointmentAsync, (_, t) => new UpdateAppointmentRequest
        {
            ChildId = t.ChildId, ExternalId = ExternalId(), AppointmentId = t.ItemId, Status = AppointmentStatus.Cancelled,
        }),
        ("RaiseBlocker", TheChildAsync, (_, t) => Blocker(t, EndToEndSite.Housing)),
        ("UpdateBlocker", FreshBlockerAsync, (_, t) => new UpdateBlockerRequest { ChildId = t.ChildId, ExternalId = ExternalId(), BlockerId = t.ItemId, Status = BlockerStatus.InProgress }),
        ("ReassignBlocker", FreshBlockerAsync, (_, t) => new ReassignBlockerRequest
        {
            ChildId = t.ChildId, ExternalId = ExternalId(), BlockerId = t.ItemId, OwningService = EndToEndSite.SocialCare, Reason = "Social care leads this now.",
        }),
        ("SetBlockerStartsAfter", FreshBlockerPairAsync, (_, t) => new SetBlockerStartsAfterRequest
        {
            ChildId = t.ChildId, ExternalId = ExternalId(), BlockerId = t.ItemId, AfterBlockerId = _startsAfter[t.ItemId!],
        }),
        ("ResolveBlocker", FreshBlockerAsync, (_, t) => new ResolveBlockerRequest { ChildId = t.ChildId, ExternalId = ExternalId(), BlockerId = t.ItemId }),
        ("CancelBlocker", FreshBlockerAsync, (_, t) => new CancelBlockerRequest { ChildId = t.ChildId, ExternalId = ExternalId(), BlockerId = t.ItemId, Reason = "Raised twice." }),
        ("EscalateBlocker", FreshBlockerAsync, (_, t) => new EscalateBlockerRequest { ChildId = t.ChildId, ExternalId = ExternalId(), BlockerId = t.ItemId, Reason = "No progress." }),
        ("AcknowledgeEscalation", FreshEscalatedBlockerAsync, (_, t) => new AcknowledgeEscalationRequest { ChildId = t.ChildId, ExternalId = ExternalId(), BlockerId = t.ItemId }),
    ];

    private IEnumerable<Surface> GrpcSurfaces()
    {
        foreach (var (method, prepare, request) in Changes)
        {
            yield return Grpc($"Journeys/{method}", prepare, ChildSubject, (role, t) => UnaryAsync(role, $"/caretwin.v1.Journeys/{method}", request(role, t), ChangeReply.Parser));
            yield return Grpc($"Ingest item {method}", prepare, ChildSubject, (role, t) => IngestAsync(role, request(role, t)));
        }
        yield return Grpc("Journeys/GetJourney", TheChildAsync, ChildSubject,
            (role, t) => UnaryAsync(role, "/caretwin.v1.Journeys/GetJourney", new GetJourneyRequest { ChildId = t.ChildId }, Api.Contracts.V1.Journey.Parser));
        yield return Grpc("Journeys/BookAppointment for its own service", TheChildAsync, ChildSubject,
            (role, t) => UnaryAsync(role, "/caretwin.v1.Journeys/BookAppointment", Appointment(t, OwnService(role)), ChangeReply.Parser));
        yield return Grpc("Journeys/RaiseBlocker for its own service", TheChildAsync, ChildSubject,
            (role, t) => UnaryAsync(role, "/caretwin.v1.Journeys/RaiseBlocker", Blocker(t, OwnService(role)), ChangeReply.Parser));
        yield return Grpc("Watch/WatchChild", TheChildAsync, ChildSubject,
            (role, t) => WatchAsync(role, "/caretwin.v1.Watch/WatchChild", new WatchChildRequest { ChildId = t.ChildId }, ChildUpdate.Parser));
        yield return Grpc("Watch/WatchService", TheChildAsync, _ => $"service/{EndToEndSite.Housing}",
            (role, _) => WatchAsync(role, "/caretwin.v1.Watch/WatchService", new WatchServiceRequest { Service = EndToEndSite.Housing }, ServiceUpdate.Parser));
        yield return Grpc("Watch/WatchBoard", TheChildAsync, _ => $"board/{EndToEndSite.Board}",
            (role, _) => WatchAsync(role, "/caretwin.v1.Watch/WatchBoard", new WatchBoardRequest { Board = EndToEndSite.Board }, BoardUpdate.Parser));
        yield return Grpc("grpc.health.v1.Health/Check", TheChildAsync, _ => null,
            (role, _) => UnaryAsync(role, "/grpc.health.v1.Health/Check", new HealthCheckRequest(), HealthCheckResponse.Parser));
        yield return Grpc("grpc.health.v1.Health/Watch", TheChildAsync, _ => null,
            (role, _) => WatchAsync(role, "/grpc.health.v1.Health/Watch", new HealthCheckRequest(), HealthCheckResponse.Parser));
    }

    private static Surface Grpc(string name, Func<Task<Target>> prepare, Func<Target, string?> subject, Func<Role, Target, Task<Outcome>> invoke) =>
        new(name, "grpc", prepare, invoke, subject);

    private async Task<Outcome> UnaryAsync<TReply>(Role role, string path, IMessage request, MessageParser<TReply> parser)
        where TReply : IMessage<TReply>
    {
        try
        {
            await _grpc[role.Name].UnaryAsync(path, request, parser);
            return Outcome.Allowed("OK");
        }
        catch (GrpcCallException failed)
        {
            return Refusal(failed);
        }
    }

    private async Task<Outcome> IngestAsync(Role role, IMessage change)
    {
        var item = new IngestItem();
        IngestItem.Descriptor.Fields.InDeclarationOrder().Single(f => f.MessageType == change.Descriptor).Accessor.SetValue(item, change);
        try
        {
            var result = (await _grpc[role.Name].UnaryAsync("/caretwin.v1.Ingest/Ingest", new IngestRequest { Items = { item } }, IngestReply.Parser)).Results.Single();
            return result switch
            {
                { Outcome: ChangeOutcome.Accepted } => Outcome.Allowed("item ACCEPTED"),
                { StatusCode: (int)GrpcStatusCode.PermissionDenied } => Outcome.Denied("item PERMISSION_DENIED"),
                _ => Outcome.Unexpected($"item {result.Outcome} {(GrpcStatusCode)result.StatusCode}: {result.Message}"),
            };
        }
        catch (GrpcCallException failed)
        {
            return Refusal(failed);
        }
    }

    /// <summary>Opens a watch: allowed when its first message (the snapshot) arrives; the watch is then closed.</summary>
    private async Task<Outcome> WatchAsync<TUpdate>(Role role, string path, IMessage request, MessageParser<TUpdate> parser)
        where TUpdate : IMessage<TUpdate>
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await foreach (var _ in _grpc[role.Name].StreamAsync(path, request, parser, limit.Token))
                return Outcome.Allowed("first message");
            return Outcome.Unexpected("the watch ended without a message");
        }
        catch (GrpcCallException failed)
        {
            return Refusal(failed);
        }
    }

    private static Outcome Refusal(GrpcCallException failed) => failed.Status is GrpcStatusCode.PermissionDenied or GrpcStatusCode.Unauthenticated
        ? Outcome.Denied(failed.Status.ToString())
        : Outcome.Unexpected($"{failed.Status}: {failed.Detail}");

    private static string OwnService(Role role) => role.System switch
    {
        EndToEndSite.EquipmentSystem => EndToEndSite.Equipment,
        EndToEndSite.EprSystem => EndToEndSite.Ventilation,
        _ => EndToEndSite.Housing,
    };

    private static BookAppointmentRequest Appointment(Target t, string service) => new()
    {
        ChildId = t.ChildId, ExternalId = ExternalId(), Service = service, Start = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(5)),
        DurationMinutes = 60, Place = "Home visit", Purpose = "Assessment",
    };

    private RaiseBlockerRequest Blocker(Target t, string service) => new()
    {
        ChildId = t.ChildId, ExternalId = ExternalId(), TransitionId = "transition-1", Category = BlockerCategory.HousingAdaptation, OwningService = service,
        ProfessionalText = "Raised in the matrix.", TargetDate = new Date { Year = Site.Today.Year + 1, Month = 1, Day = 31 },
    };

    // ---- hub ----

    private IEnumerable<Surface> HubSurfaces()
    {
        Surface Hub(string method, Func<Task<Target>> prepare, Func<Target, object?[]> arguments) =>
            new(method, "hub", prepare, (role, t) => HubCallAsync(role, method, arguments(t)), ChildSubject);
        yield return new Surface("WatchBoard", "hub", TheChildAsync, (role, _) => HubCallAsync(role, "WatchBoard", [EndToEndSite.Board]), _ => $"board/{EndToEndSite.Board}");
        yield return Hub("WatchChild", TheChildAsync, t => [t.ChildId]);
        yield return Hub("WatchFamily", TheChildAsync, t => [t.ChildId]);
        yield return new Surface("WatchService", "hub", TheChildAsync, (role, _) => HubCallAsync(role, "WatchService", [EndToEndSite.Housing]), _ => $"service/{EndToEndSite.Housing}");
        yield return Hub("GetFamilyMessages", TheChildAsync, t => [t.ChildId, null, 20]);
        yield return Hub("GetChildFamilyMessages", TheChildAsync, t => [t.ChildId, null, 20]);
        yield return Hub("GetAccessLog", TheChildAsync, t => [t.ChildId]);
        yield return Hub("GetFamilyAccess", TheChildAsync, t => [t.ChildId]);
        yield return Hub("IssueInvite", TheChildAsync, t => [t.ChildId]);
        yield return Hub("RevokeInvite", FreshInviteAsync, t => [t.ChildId, t.ItemId]);
        yield return Hub("RemoveFamilyMember", FreshMemberAsync, t => [t.ChildId, t.ItemId]);
        yield return Hub("RecordYoungPersonConsent", TheChildAsync, t => [t.ChildId, true]);
        yield return Hub("RaiseBlocker", TheChildAsync, t => [t.ChildId, new
        {
            requestId = ExternalId(), transitionId = "transition-1", category = "housing-adaptation", owningService = EndToEndSite.Housing,
            professionalText = "Raised in the matrix.", targetDate = Site.Today.AddDays(30).ToString("yyyy-MM-dd"),
        }]);
        yield return Hub("UpdateBlockerProgress", FreshBlockerAsync, t => [t.ChildId, new { requestId = ExternalId(), blockerId = t.ItemId, status = "in-progress" }]);
        yield return Hub("ResolveBlocker", FreshBlockerAsync, t => [t.ChildId, new { requestId = ExternalId(), blockerId = t.ItemId }]);
        yield return Hub("ReassignBlocker", FreshBlockerAsync, t => [t.ChildId, new
        {
            requestId = ExternalId(), blockerId = t.ItemId, owningService = EndToEndSite.SocialCare, reason = "Social care leads this now.",
        }]);
        yield return Hub("SetBlockerStartsAfter", FreshBlockerPairAsync, t => [t.ChildId, new
        {
            requestId = ExternalId(), blockerId = t.ItemId, afterBlockerId = _startsAfter[t.ItemId!], startsAfter = true,
        }]);
        yield return Hub("EscalateBlocker", FreshBlockerAsync, t => [t.ChildId, new { requestId = ExternalId(), blockerId = t.ItemId, reason = "No progress." }]);
        yield return Hub("AcknowledgeEscalation", FreshEscalatedBlockerAsync, t => [t.ChildId, new { requestId = ExternalId(), blockerId = t.ItemId }]);
        yield return Hub("ChangeStage", TheChildInDischargePlanningAsync, t => [t.ChildId, new
        {
            requestId = ExternalId(), transitionId = "transition-1", stage = HospitalDischargeStages.ReadyForDischarge,
        }]);
        yield return Hub("AddFamilyNote", TheChildAsync, t => [t.ChildId, new { requestId = ExternalId(), text = "We would like a weekday visit." }]);
        yield return Hub("FlagConcern", TheChildAsync, t => [t.ChildId, new { requestId = ExternalId(), text = "Nobody has called us back." }]);
        yield return Hub("AcknowledgeConcern", () => ConcernAsync("acknowledge"), t => [t.ChildId, new { requestId = ExternalId(), messageId = t.ItemId }]);
        yield return Hub("AnswerConcern", () => ConcernAsync("answer"), t => [t.ChildId, new { requestId = ExternalId(), messageId = t.ItemId, text = "The housing officer rings you on Monday." }]);
        yield return Hub("CloseConcern", () => ConcernAsync("close"), t => [t.ChildId, new { requestId = ExternalId(), messageId = t.ItemId }]);
        yield return new Surface("WatchMeeting", "hub", MeetingAsync, (role, t) => HubCallAsync(role, "WatchMeeting", [t.ItemId]), MeetingSubject);
        yield return new Surface("WatchServiceMeetings", "hub", TheChildAsync, (role, _) => HubCallAsync(role, "WatchServiceMeetings", [EndToEndSite.Housing]),
            _ => $"service/{EndToEndSite.Housing}");
    }

    /// <summary>
    /// A fresh connection for the call, as a page opens one. Without a session the hub refuses the connection
    /// itself (401) before any method or record is named.
    /// </summary>
    private async Task<Outcome> HubCallAsync(Role role, string method, object?[] arguments)
    {
        RawHubClient hub;
        try
        {
            hub = await RawHubClient.ConnectAsync(Site.Address, role.Cookies, headers: role.WebHeaders);
        }
        catch (HubRefusedException refused)
        {
            return refused.Status == (int)HttpStatusCode.Unauthorized ? Outcome.Denied("401 at connect", namedNoRecord: true) : Outcome.Unexpected($"HTTP {refused.Status} at connect");
        }
        await using (hub)
        {
            var (error, _) = await hub.InvokeAsync(method, arguments);
            return error switch
            {
                null => Outcome.Allowed("OK"),
                NoAccess => Outcome.Denied("no access"),
                _ when ToldWhatIsTrue.Contains(error) => Outcome.Denied(error),
                _ => Outcome.Unexpected(error),
            };
        }
    }

    // ---- pages ----

    private IEnumerable<Surface> PageSurfaces()
    {
        Surface Page(string name, Func<Target, string> path, Func<Target, string?> subject) =>
            new(name, "page", TheChildAsync, (role, t) => GetAsync(role, path(t)), subject);

        yield return Page("GET /board", _ => $"/board?board={EndToEndSite.Board}", _ => $"board/{EndToEndSite.Board}");
        yield return Page("GET /board/export.csv", _ => $"/board/export.csv?board={EndToEndSite.Board}&sort=name", _ => $"board/{EndToEndSite.Board}");
        yield return Page("GET /children/{child}", t => $"/children/{t.ChildId}", ChildSubject);
        yield return Page("GET /services/{involved service}", _ => $"/services/{EndToEndSite.Housing}", _ => $"service/{EndToEndSite.Housing}");
        yield return Page("GET /family/{child}", t => $"/family/{t.ChildId}", ChildSubject);
        yield return Page("GET /family/{child}/time-and-money", t => $"/family/{t.ChildId}/time-and-money", ChildSubject);
        // The form makes a fresh meeting id each time it is shown, so no trail is known beforehand to look in.
        yield return Page("GET /meetings/new", _ => "/meetings/new", _ => null);
        yield return new Surface("GET /meetings/{meeting}", "page", MeetingAsync, (role, t) => GetAsync(role, $"/meetings/{t.ItemId}"), MeetingSubject);
        yield return new Surface("GET /meetings/{meeting}/minutes", "page", MeetingAsync, (role, t) => GetAsync(role, $"/meetings/{t.ItemId}/minutes"), MeetingSubject);
        yield return Page("GET /sign-in", _ => "/sign-in", _ => null);
        yield return Page("GET /join", _ => "/join", _ => null);
        yield return Page("GET /healthz", _ => "/healthz", _ => null);
    }

    private async Task<Outcome> GetAsync(Role role, string path)
    {
        using var response = await _web[role.Name].GetAsync(path);
        return response.StatusCode switch
        {
            HttpStatusCode.OK => Outcome.Allowed("200"),
            HttpStatusCode.Forbidden => Outcome.Denied("403"),
            HttpStatusCode.Redirect when response.Headers.Location?.OriginalString.StartsWith("/sign-in", StringComparison.Ordinal) == true
                || response.Headers.Location?.AbsolutePath == "/sign-in" => Outcome.Denied("302 to sign-in"),
            _ => Outcome.Unexpected($"HTTP {(int)response.StatusCode}"),
        };
    }

    // ---- form posts ----

    /// <param name="withToken">False: each form is posted without its anti-forgery token, as another site's page would post it.</param>
    private IEnumerable<Surface> PostSurfaces(bool withToken = true)
    {
        Surface Chair(string route, Func<Target, Dictionary<string, string>> form, Func<Grains.Meetings.IMeetingGrain, Task<string>> state,
            Func<Target, string>? path = null) =>
            new($"POST {route}", "page", FreshMeetingAsync,
                (role, t) => PostAsync(role, path?.Invoke(t) ?? route.Replace("{meetingId}", t.ItemId, StringComparison.Ordinal), form(t), withToken),
                MeetingSubject, t => state(Meeting(t)));
        Surface Family(string route, Func<Dictionary<string, string>> form) =>
            new($"POST {route}", "page", TheChildAsync, (role, t) => PostAsync(role, route.Replace("{childId}", t.ChildId, StringComparison.Ordinal), form(), withToken),
                ChildSubject, ChildVersionAsync);

        // A meeting id not yet used: opening it is the change.
        yield return new Surface("POST /meetings/new", "page", () => Task.FromResult(new Target(Child, $"matrix-mdt-{Guid.NewGuid():N}")),
            (role, t) => PostAsync(role, "/meetings/new", new() { ["meetingId"] = t.ItemId!, ["board"] = EndToEndSite.Board, ["services"] = EndToEndSite.Housing, ["attendees"] = "" }, withToken),
            MeetingSubject, async t => await Meeting(t).GetMeeting() is null ? "not opened" : "opened");
        yield return Chair("/meetings/{meetingId}/attendees", _ => new() { ["name"] = "Sam Lee", ["service"] = "" },
            async m => string.Join("; ", (await m.GetMeeting())!.Attendees.Select(a => a.Name)));
        // Adds the other child, whom no cell's meeting has on its agenda when it opens.
        yield return Chair("/meetings/{meetingId}/agenda", _ => new() { ["add"] = "true", ["childId"] = _scene.OtherChildId },
            async m => string.Join("; ", (await m.GetMeeting())!.Agenda.Select(i => i.ChildId)));
        yield return Chair("/meetings/{meetingId}/children/{childId}/actions", _ => new() { ["kind"] = "decision", ["text"] = "Agreed in the matrix.", ["requestId"] = ExternalId() },
            async m => $"{(await m.GetMeeting())!.Actions.Length} actions, child at version {await ChildVersionAsync(new Target(Child))}",
            t => $"/meetings/{t.ItemId}/children/{t.ChildId}/actions");
        yield return Chair("/meetings/{meetingId}/close", _ => [], async m => (await m.GetMeeting())!.IsClosed ? "closed" : "open");
        yield return Family("/family/{childId}/messages", () => new() { ["kind"] = "concern", ["text"] = "Nobody has called us back.", ["requestId"] = ExternalId() });
        // A different journey time each cell, so an allowed cell always changes what the family told us.
        yield return Family("/family/{childId}/travel", () => new()
        {
            ["mode"] = "car", ["travelMinutes"] = (20 + Interlocked.Increment(ref _sequence)).ToString(System.Globalization.CultureInfo.InvariantCulture), ["requestId"] = ExternalId(),
        });
    }

    /// <summary>Posts the form as the role's browser would: with the anti-forgery token of a page it was just shown.</summary>
    private async Task<Outcome> PostAsync(Role role, string path, Dictionary<string, string> form, bool withToken)
    {
        var web = _web[role.Name];
        // Shown a page first either way (once), so the browser holds the anti-forgery cookie: only the form's token is missing.
        if (!_tokens.TryGetValue(role.Name, out var token))
        {
            var field = TokenField.Match(await web.GetStringAsync("/sign-in"));
            Assert.True(field.Success, $"{role.Name}: the sign-in page has no anti-forgery token.");
            _tokens[role.Name] = token = (field.Groups["name"].Value, System.Net.WebUtility.HtmlDecode(field.Groups["value"].Value));
        }
        if (withToken) form[token.Name] = token.Value;
        using var response = await web.PostAsync(path, new FormUrlEncodedContent(form));
        var location = response.Headers.Location is { } to ? to.IsAbsoluteUri ? to.AbsolutePath : to.OriginalString : "";
        return response.StatusCode switch
        {
            HttpStatusCode.Forbidden => Outcome.Denied("403"),
            HttpStatusCode.Redirect when location.StartsWith("/sign-in", StringComparison.Ordinal) => Outcome.Denied("302 to sign-in"),
            // Post, redirect, get: the change was made and the page it leads to shows it.
            HttpStatusCode.Redirect => Outcome.Allowed("302"),
            _ => Outcome.Unexpected($"HTTP {(int)response.StatusCode}"),
        };
    }

    private readonly Dictionary<string, (string Name, string Value)> _tokens = [];

    private static readonly System.Text.RegularExpressions.Regex TokenField =
        new("<input type=\"hidden\" name=\"(?<name>__RequestVerificationToken)\" value=\"(?<value>[^\"]+)\">");

    private Grains.Meetings.IMeetingGrain Meeting(Target t) => Site.Grains.GetGrain<Grains.Meetings.IMeetingGrain>(t.ItemId!);

    private async Task<string> ChildVersionAsync(Target t) => $"version {(await Site.Grains.GetGrain<IChildGrain>(t.ChildId).GetJourney())!.Version}";

    /// <summary>A meeting of its own for one cell, so what an allowed cell does (closing it) never changes the next.</summary>
    private async Task<Target> FreshMeetingAsync() => new(Child, await OpenMeetingAsync());

    // ---- what each cell acts on ----

    private static string ChildSubject(Target t) => $"child/{t.ChildId}";

    private static string MeetingSubject(Target t) => $"meeting/{t.ItemId}";

    /// <summary>An MDT for the involved service (so the matrix's child, with housing's anchor blocker, is on its agenda), opened once; no cell changes it.</summary>
    private async Task<Target> MeetingAsync()
    {
        _meetingId ??= await OpenMeetingAsync();
        return new Target(Child, _meetingId);
    }

    private async Task<string> OpenMeetingAsync()
    {
        var meetingId = $"matrix-mdt-{Guid.NewGuid():N}";
        var opened = await Site.Grains.GetGrain<Grains.Meetings.IMeetingGrain>(meetingId).Open(new Journey.Meetings.OpenMeeting(EndToEndSite.Board, [EndToEndSite.Housing],
            new Journey.Journal.Actor("demo.coordinator", "Priya Shah", Journey.Journal.ActorRole.Coordinator), []));
        Assert.Null(opened.Refusal);
        Assert.NotNull(opened.Meeting!.FindOnAgenda(Child));
        return meetingId;
    }

    private static string ExternalId() => $"matrix-{Guid.NewGuid():N}";

    private Task<Target> TheChildAsync() => Task.FromResult(new Target(Child));

    private Task<Target> NewChildIdAsync() => Task.FromResult(new Target($"matrix-new-{Interlocked.Increment(ref _sequence)}-{Guid.NewGuid():N}"[..40]));

    /// <summary>Registered, no transition yet; housing involved through an appointment.</summary>
    private async Task<Target> ChildWithoutTransitionAsync()
    {
        var childId = await Site.RegisterChildAsync("Fresh", "Child", startDischarge: false);
        await Site.RunAsync(childId, o => new BookAppointment(o, EndToEndSite.Housing, DateTimeOffset.UtcNow.AddDays(5), TimeSpan.FromHours(1), "Home visit", "Assessment"));
        return new Target(childId);
    }

    /// <summary>In discharge planning, housing involved through a blocker.</summary>
    private async Task<Target> ChildInDischargePlanningAsync()
    {
        var childId = await Site.RegisterChildAsync("Fresh", "Child");
        await Site.RaiseBlockerAsync(childId, Journey.Blockers.BlockerCategory.HousingAdaptation, EndToEndSite.Housing, "Keeps housing involved", null);
        return new Target(childId);
    }

    /// <summary>The matrix's child, back in discharge planning if an allowed cell moved it on.</summary>
    private async Task<Target> TheChildInDischargePlanningAsync()
    {
        var journey = await Site.Grains.GetGrain<IChildGrain>(Child).GetJourney();
        if (journey!.FindTransition("transition-1")!.Stage != HospitalDischargeStages.DischargePlanning)
            await Site.RunAsync(Child, o => new ChangeStage(o, "transition-1", HospitalDischargeStages.DischargePlanning, "Back for the next matrix cell."));
        return new Target(Child);
    }

    // For each blocker made by FreshBlockerPairAsync, the one made just before it, for it to start after.
    private readonly Dictionary<string, string> _startsAfter = [];

    /// <summary>Two fresh housing blockers; the target is the second, which may start after the first.</summary>
    private async Task<Target> FreshBlockerPairAsync()
    {
        var first = await FreshBlockerAsync();
        var second = await FreshBlockerAsync();
        _startsAfter[second.ItemId!] = first.ItemId!;
        return second;
    }

    private async Task<Target> FreshBlockerAsync()
    {
        var outcome = await Site.RaiseBlockerAsync(Child, Journey.Blockers.BlockerCategory.HousingAdaptation, EndToEndSite.Housing, "Made for one matrix cell", null);
        return new Target(Child, outcome.Events.OfType<BlockerRaised>().Single().BlockerId);
    }

    /// <summary>
    /// A worry the family flagged, one per row (a family may flag only so many a day): only the coordinator's cell
    /// changes it, and every other role is refused by the policy before the worry's state is looked at.
    /// </summary>
    private async Task<Target> ConcernAsync(string row)
    {
        if (_concerns.TryGetValue(row, out var made)) return made;
        var parent = new Journey.Journal.Actor("matrix.parent", "Matrix Parent", Journey.Journal.ActorRole.Family);
        var outcome = await Site.RunAsync(Child, o => new Journey.Family.FlagConcern(o with { Actor = parent }, "Made for one matrix cell."));
        return _concerns[row] = new Target(Child, outcome.Events.OfType<Journey.Family.FamilyConcernFlagged>().Single().MessageId);
    }

    private async Task<Target> FreshEscalatedBlockerAsync()
    {
        var target = await FreshBlockerAsync();
        await Site.RunAsync(Child, o => new Journey.Escalations.EscalateBlocker(o, target.ItemId!, "Escalated for one matrix cell."));
        return target;
    }

    private async Task<Target> FreshAppointmentAsync()
    {
        var outcome = await Site.RunAsync(Child, o => new BookAppointment(o, EndToEndSite.Housing, DateTimeOffset.UtcNow.AddDays(5), TimeSpan.FromHours(1), "Home visit", "Assessment"));
        return new Target(Child, outcome.Events.OfType<AppointmentBooked>().Single().AppointmentId);
    }

    private async Task<Target> FreshInviteAsync() =>
        new(Child, (await Site.Grains.GetGrain<IFamilyAccessGrain>(Child).IssueInvite("Priya Shah", TimeSpan.FromDays(1))).InviteId);

    /// <summary>Someone who joined with their own invite a moment ago.</summary>
    private async Task<Target> FreshMemberAsync()
    {
        var code = await Site.InviteCodeAsync(Child);
        var joined = await Site.Grains.GetGrain<IInviteCodeGrain>(InviteCode.Hash(code)).Redeem("Member for one cell");
        return new Target(Child, joined.Membership!.MemberId);
    }
}
