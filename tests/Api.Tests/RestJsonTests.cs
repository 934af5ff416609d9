using System.Net;
using System.Text.Json;
using CareTwin.Api.Contracts.V1;
using CareTwin.Api.Tests.Infrastructure;

namespace CareTwin.Api.Tests;

/// <summary>One Kestrel host (HTTP/2 for gRPC, HTTP/1.1 beside it) shared by the REST/JSON tests; each test uses its own children.</summary>
public sealed class RestHost : IAsyncLifetime
{
    public CareTwinApiHost Host { get; private set; } = null!;

    public RestClient Epr { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await CareTwinApiHost.StartKestrelAsync();
        Epr = Rest(Host.EprKey);
    }

    /// <summary>A REST client over HTTP/1.1 (as on the host's web port) with <paramref name="key"/>, or none.</summary>
    public RestClient Rest(string? key) => new(Host.Http1Address, key);

    /// <summary>A registered child with a hospital discharge under way (transition-1), registered over gRPC.</summary>
    public async Task<string> ChildAsync(string childId)
    {
        using var grpc = Host.Client(Host.EprKey);
        await grpc.RegisterWithDischargeAsync(childId);
        return childId;
    }

    /// <summary>The child's journal version, read over gRPC.</summary>
    public async Task<long> VersionAsync(string childId)
    {
        using var grpc = Host.Client(Host.EprKey);
        return (await grpc.GetJourneyAsync(childId)).Reply!.Version;
    }

    public async Task DisposeAsync()
    {
        Epr.Dispose();
        await Host.DisposeAsync();
    }
}

/// <summary>
/// The caretwin.v1 services as REST/JSON (gRPC JSON transcoding of their google.api.http routes), called by clients
/// that know nothing of gRPC: curl and plain HttpClient over HTTP/1.1. Same key, same rules, same statuses as gRPC;
/// failures are problem details.
/// </summary>
public sealed class RestJsonTests(RestHost rest) : IClassFixture<RestHost>
{
    private static string Register(string childId) => $$"""
        {"childId":"{{childId}}","externalId":"{{childId}}-register","nhsNumber":"{{Requests.NhsNumber}}","givenName":"Amara","familyName":"Okafor",
         "dateOfBirth":{"year":2021,"month":3,"day":14},"hospitalKey":"{{CareTwinApiHost.Hospital}}","regionKey":"{{CareTwinApiHost.Region}}",
         "careTeam":[{"name":"Dr Rao","role":"Consultant"}]}
        """;

    private static string Blocker(string externalId, string service = CareTwinApiHost.Ward) => $$"""
        {"externalId":"{{externalId}}","transitionId":"transition-1","category":"BLOCKER_CATEGORY_EQUIPMENT","owningService":"{{service}}",
         "professionalText":"Home ventilator on order.","targetDate":{{Date(30)}}}
        """;

    /// <summary>A google.protobuf.Timestamp as proto3 JSON writes it.</summary>
    private static string Utc(int days) => DateTimeOffset.UtcNow.AddDays(days).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static string Date(int days)
    {
        var date = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(days);
        return $$"""{"year":{{date.Year}},"month":{{date.Month}},"day":{{date.Day}}}""";
    }

    [Fact]
    public async Task A_change_posted_with_curl_is_accepted_and_posting_it_again_answers_duplicate_and_changes_nothing()
    {
        var url = rest.Host.Http1Address;
        string[] key = ["-H", $"x-api-key: {rest.Host.EprKey}", "-H", "content-type: application/json"];

        var registered = await Curl.RunAsync([.. key, "-d", Register("rest-curl"), new Uri(url, "v1/children").ToString()]);
        var started = await Curl.RunAsync([.. key, "-d", """{"externalId":"start-1","kind":"TRANSITION_KIND_HOSPITAL_DISCHARGE"}""", new Uri(url, "v1/children/rest-curl:startTransition").ToString()]);
        var raised = await Curl.RunAsync([.. key, "-d", Blocker("epr-task-1"), new Uri(url, "v1/children/rest-curl:raiseBlocker").ToString()]);
        var again = await Curl.RunAsync([.. key, "-d", Blocker("epr-task-1"), new Uri(url, "v1/children/rest-curl:raiseBlocker").ToString()]);

        Assert.All(new[] { registered, started, raised, again }, r => Assert.Equal(200, r.Status));
        var first = JsonDocument.Parse(raised.Body).RootElement;
        var second = JsonDocument.Parse(again.Body).RootElement;
        Assert.Equal(("CHANGE_OUTCOME_ACCEPTED", 3, "blocker-1"), (first.GetProperty("outcome").GetString(), first.GetProperty("version").GetInt64(), first.GetProperty("createdId").GetString()));
        Assert.Equal(("CHANGE_OUTCOME_DUPLICATE", 3), (second.GetProperty("outcome").GetString(), second.GetProperty("version").GetInt64()));
        Assert.Equal("transition-1", JsonDocument.Parse(started.Body).RootElement.GetProperty("createdId").GetString());
        Assert.Equal(3, await rest.VersionAsync("rest-curl"));
    }

    [Fact]
    public async Task Each_journeys_change_has_its_own_route_and_snake_case_field_names_are_read_too()
    {
        await rest.ChildAsync("rest-routes");
        var blocker = (await rest.Epr.PostAsync("/v1/children/rest-routes:raiseBlocker", Blocker("b-1"))).Json.GetProperty("createdId").GetString();

        var results = new List<(string, HttpStatusCode, string?)>();
        foreach (var (verb, body) in new[]
        {
            ("updateBlocker", $$"""{"external_id":"u-1","blocker_id":"{{blocker}}","status":"BLOCKER_STATUS_IN_PROGRESS"}"""),
            ("reassignBlocker", $$"""{"externalId":"r-1","blockerId":"{{blocker}}","owningService":"{{CareTwinApiHost.Ward}}","namedOwner":"Sam Lee","reason":"Back from leave."}"""),
            ("completeMilestone", """{"externalId":"m-1","transitionId":"transition-1","milestone":"equipment-delivered"}"""),
            ("bookAppointment", $$"""{"externalId":"a-1","service":"{{CareTwinApiHost.Ward}}","start":"{{Utc(3)}}","durationMinutes":60,"place":"Ward 4","purpose":"Training"}"""),
            ("updateAppointment", $$"""{"externalId":"a-2","appointmentId":"appointment-1","status":"APPOINTMENT_STATUS_RESCHEDULED","newStart":"{{Utc(4)}}","newPlace":"Home visit"}"""),
            ("changeStage", """{"externalId":"s-1","transitionId":"transition-1","stage":"medically-optimised"}"""),
            ("resolveBlocker", $$"""{"externalId":"x-1","blockerId":"{{blocker}}","note":"Delivered."}"""),
            ("escalateBlocker", $$"""{"externalId":"e-1","blockerId":"{{blocker}}","reason":"Overdue."}"""),
        })
        {
            var result = await rest.Epr.PostAsync($"/v1/children/rest-routes:{verb}", body);
            results.Add((verb, result.Status, result.Status == HttpStatusCode.OK ? result["outcome"] : result["grpcStatus"]));
        }

        Assert.Equal(
            [
                ("updateBlocker", HttpStatusCode.OK, "CHANGE_OUTCOME_ACCEPTED"),
                ("reassignBlocker", HttpStatusCode.OK, "CHANGE_OUTCOME_ACCEPTED"),
                ("completeMilestone", HttpStatusCode.OK, "CHANGE_OUTCOME_ACCEPTED"),
                ("bookAppointment", HttpStatusCode.OK, "CHANGE_OUTCOME_ACCEPTED"),
                ("updateAppointment", HttpStatusCode.OK, "CHANGE_OUTCOME_ACCEPTED"),
                ("changeStage", HttpStatusCode.OK, "CHANGE_OUTCOME_ACCEPTED"),
                ("resolveBlocker", HttpStatusCode.OK, "CHANGE_OUTCOME_ACCEPTED"),
                // Escalating across agencies is for coordinators, over REST as over gRPC.
                ("escalateBlocker", HttpStatusCode.Forbidden, "PERMISSION_DENIED"),
            ],
            results);
    }

    [Fact]
    public async Task Get_journey_answers_the_journey_as_json_with_camel_case_fields_and_enum_names()
    {
        await rest.ChildAsync("rest-get");
        await rest.Epr.PostAsync("/v1/children/rest-get:raiseBlocker", Blocker("b-1"));

        var result = await rest.Epr.GetAsync("/v1/children/rest-get");

        Assert.Equal((HttpStatusCode.OK, "application/json"), (result.Status, result.MediaType));
        var journey = result.Json;
        Assert.Equal("rest-get", journey.GetProperty("childId").GetString());
        Assert.Equal(3, journey.GetProperty("version").GetInt64());
        Assert.Equal("Amara", journey.GetProperty("child").GetProperty("givenName").GetString());
        Assert.Equal("TRANSITION_KIND_HOSPITAL_DISCHARGE", journey.GetProperty("transitions")[0].GetProperty("kind").GetString());
        var blocker = journey.GetProperty("blockers")[0];
        Assert.Equal(("blocker-1", "BLOCKER_CATEGORY_EQUIPMENT"), (blocker.GetProperty("id").GetString(), blocker.GetProperty("category").GetString()));
    }

    [Fact]
    public async Task Get_journey_answers_the_familys_concerns_and_figures_as_json_too()
    {
        using (var grpc = rest.Host.Client(rest.Host.EprKey))
            await FamilyScenario.ArrangeAsync(rest.Host, grpc, "rest-family");

        var journey = (await rest.Epr.GetAsync("/v1/children/rest-family")).Json;

        var closed = journey.GetProperty("familyMessages")[0];
        Assert.Equal(("CONCERN_STATUS_CLOSED", FamilyScenario.Answer, "Test Coordinator"),
            (closed.GetProperty("concernStatus").GetString(), closed.GetProperty("answer").GetString(), closed.GetProperty("answeredBy").GetProperty("displayName").GetString()));
        Assert.Equal(2, journey.GetProperty("familyBurden").GetProperty("last30Days").GetProperty("distinctServices").GetInt32());
        var window = journey.GetProperty("familyCostEstimate").GetProperty("last30Days");
        Assert.Equal(("in the last 30 days", 4.0), (window.GetProperty("period").GetString(), window.GetProperty("hours").GetDouble()));
        Assert.Equal("1650", window.GetProperty("moneyPence").ToString());
        Assert.Equal("TRAVEL_MODE_CAR", journey.GetProperty("familyTravel").GetProperty("mode").GetString());
    }

    [Fact]
    public async Task An_ingest_batch_posted_as_json_names_what_it_created_by_its_own_ids_and_a_replay_answers_the_created_ids()
    {
        var batch = $$"""
            {"items":[
              {"registerChild":{{Register("rest-ingest")}}},
              {"startTransition":{"childId":"rest-ingest","externalId":"start-1","kind":"TRANSITION_KIND_HOSPITAL_DISCHARGE"} },
              {"raiseBlocker":{"childId":"rest-ingest","externalId":"b-1","transitionRef":{"externalId":"start-1"},"category":"BLOCKER_CATEGORY_EQUIPMENT",
                               "owningService":"{{CareTwinApiHost.Ward}}","professionalText":"Home ventilator on order.","targetDate":{{Date(30)}} } },
              {"raiseBlocker":{"childId":"rest-ingest","externalId":"b-2","transition_ref":{"external_id":"start-1"},"category":"BLOCKER_CATEGORY_EQUIPMENT",
                               "owningService":"{{CareTwinApiHost.Ward}}","professionalText":"","targetDate":{{Date(30)}} } }
            ]}
            """;

        var result = await rest.Epr.PostAsync("/v1/ingest", batch);
        var again = await rest.Epr.PostAsync("/v1/ingest", batch);

        Assert.Equal(HttpStatusCode.OK, result.Status);
        var reply = result.Json;
        Assert.Equal((3, 0, 1), (reply.GetProperty("accepted").GetInt32(), reply.GetProperty("duplicates").GetInt32(), reply.GetProperty("refused").GetInt32()));
        var refused = reply.GetProperty("results")[3];
        Assert.Equal(("CHANGE_OUTCOME_REFUSED", 3, "professional_text"), (refused.GetProperty("outcome").GetString(), refused.GetProperty("statusCode").GetInt32(), refused.GetProperty("field").GetString()));
        Assert.Equal((0, 3, 1), (again.Json.GetProperty("accepted").GetInt32(), again.Json.GetProperty("duplicates").GetInt32(), again.Json.GetProperty("refused").GetInt32()));
        Assert.Equal(["", "transition-1", "blocker-1"],
            again.Json.GetProperty("results").EnumerateArray().Take(3).Select(r => r.TryGetProperty("createdId", out var id) ? id.GetString() : ""));
        Assert.Equal(3, await rest.VersionAsync("rest-ingest"));
    }

    [Fact]
    public async Task A_child_watch_with_curl_streams_the_journey_then_a_change_made_by_another_client()
    {
        await rest.ChildAsync("rest-watch");
        using var curl = Curl.Start("-N", "-H", $"x-api-key: {rest.Host.EprKey}", new Uri(rest.Host.Http1Address, "v1/children/rest-watch:watch").ToString());
        try
        {
            var snapshot = await NextLineAsync(curl);
            using var grpc = rest.Host.Client(rest.Host.EprKey);
            await grpc.AcceptedAsync("RaiseBlocker", Requests.Blocker("rest-watch", "b-1", CareTwinApiHost.Ward));
            var change = await NextLineAsync(curl);

            Assert.Equal(2, snapshot.GetProperty("snapshot").GetProperty("version").GetInt64());
            var journeyChange = change.GetProperty("change");
            Assert.Equal(3, journeyChange.GetProperty("version").GetInt64());
            Assert.Equal("blocker-raised", journeyChange.GetProperty("entries")[0].GetProperty("kind").GetString());
            Assert.Equal("blocker-1", journeyChange.GetProperty("journey").GetProperty("blockers")[0].GetProperty("id").GetString());
        }
        finally
        {
            curl.Kill();
        }
    }

    [Fact]
    public async Task Service_and_board_watches_answer_on_their_routes_with_a_snapshot_first()
    {
        await rest.ChildAsync("rest-board");
        using var housing = rest.Rest(rest.Host.HousingKey);

        using var service = await housing.WatchAsync($"/v1/services/{CareTwinApiHost.Housing}:watch");
        using var board = await rest.Epr.WatchAsync($"/v1/boards/hospital:{CareTwinApiHost.Hospital}:watch");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (service.Status, board.Status));
        Assert.Equal("Testborough housing", (await service.NextAsync()).GetProperty("snapshot").GetProperty("name").GetString());
        Assert.Equal($"hospital:{CareTwinApiHost.Hospital}", (await board.NextAsync()).GetProperty("snapshot").GetProperty("board").GetString());
    }

    [Fact]
    public async Task A_watch_that_ends_after_it_started_ends_with_a_status_line_and_the_connection_closes()
    {
        await rest.ChildAsync("rest-watch-ends");
        var blocker = await rest.Host.RaiseAsCoordinatorAsync("rest-watch-ends", CareTwinApiHost.Housing);
        using var housing = rest.Rest(rest.Host.HousingKey);
        using var watch = await housing.WatchAsync("/v1/children/rest-watch-ends:watch");
        Assert.True((await watch.NextAsync()).TryGetProperty("snapshot", out _));

        await housing.PostAsync("/v1/children/rest-watch-ends:resolveBlocker", $$"""{"externalId":"resolve-1","blockerId":"{{blocker}}"}""");
        var last = JsonDocument.Parse(await watch.RestAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, watch.Status);
        Assert.Equal((7, "This API key (test-housing) may not watch child 'rest-watch-ends' any longer."), (last.GetProperty("code").GetInt32(), last.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task A_watch_the_key_may_not_open_is_a_403_problem_before_anything_streams()
    {
        using var housing = rest.Rest(rest.Host.HousingKey);

        using var board = await housing.WatchAsync($"/v1/boards/region:{CareTwinApiHost.Region}:watch");

        Assert.Equal((HttpStatusCode.Forbidden, "application/problem+json"), (board.Status, board.MediaType));
        Assert.Equal("PERMISSION_DENIED", JsonDocument.Parse(await board.RestAsync()).RootElement.GetProperty("grpcStatus").GetString());
    }

    [Fact]
    public async Task An_invalid_field_is_a_400_problem_naming_the_field_with_the_message_as_detail()
    {
        var body = Register("rest-invalid").Replace(Requests.NhsNumber, "943 476 5918", StringComparison.Ordinal);

        var result = await rest.Epr.PostAsync("/v1/children", body);

        AssertProblem(result, HttpStatusCode.BadRequest, "INVALID_ARGUMENT", "nhs_number");
        Assert.StartsWith("nhs_number: ", result["detail"]);
        Assert.Contains("check digit", result["detail"]);
        Assert.Equal(("about:blank", "Bad Request", "/v1/children"), (result["type"], result["title"], result["instance"]));
        Assert.Equal(400, result.Json.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task An_unknown_transition_is_a_404_problem()
    {
        await rest.ChildAsync("rest-missing");

        var result = await rest.Epr.PostAsync("/v1/children/rest-missing:raiseBlocker", Blocker("b-1").Replace("transition-1", "transition-9", StringComparison.Ordinal));

        AssertProblem(result, HttpStatusCode.NotFound, "NOT_FOUND", "transition_id");
    }

    [Fact]
    public async Task A_change_that_breaks_a_journey_rule_is_a_400_failed_precondition_problem_saying_why()
    {
        await rest.ChildAsync("rest-rule");

        var result = await rest.Epr.PostAsync("/v1/children/rest-rule:changeStage", """{"externalId":"s-1","transitionId":"transition-1","stage":"discharged"}""");

        Assert.Equal((HttpStatusCode.BadRequest, "FAILED_PRECONDITION"), (result.Status, result["grpcStatus"]));
        Assert.False(string.IsNullOrWhiteSpace(result["detail"]));
        Assert.Equal(2, await rest.VersionAsync("rest-rule"));
    }

    [Fact]
    public async Task A_key_that_may_not_register_children_is_a_403_problem()
    {
        using var housing = rest.Rest(rest.Host.HousingKey);

        var result = await housing.PostAsync("/v1/children", Register("rest-denied"));

        AssertProblem(result, HttpStatusCode.Forbidden, "PERMISSION_DENIED", field: null);
        Assert.Contains("RegisterChild", result["detail"]);
    }

    [Theory]
    [InlineData("no key", null, "No API key")]
    [InlineData("an unknown key", "x-api-key: ctk_not-a-key-caretwin-knows", "not one CareTwin knows")]
    [InlineData("a malformed authorization header", "authorization: Basic dXNlcjpwYXNz", "must be 'Bearer <key>'")]
    public async Task A_call_without_a_known_key_is_a_401_problem_and_is_audited(string what, string? header, string says)
    {
        var child = await rest.ChildAsync("rest-401-" + what.Replace(' ', '-'));
        using var anonymous = rest.Rest(null);
        var headers = header is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [header[..header.IndexOf(':')]] = header[(header.IndexOf(':') + 2)..] };

        var result = await anonymous.GetAsync($"/v1/children/{child}", headers);

        AssertProblem(result, HttpStatusCode.Unauthorized, "UNAUTHENTICATED", field: null);
        Assert.Contains(says, result["detail"]);
        Assert.Contains(await rest.Host.UnidentifiedAttemptsOnAsync($"child/{child}"), e => !e.Allowed && e.Channel == "rest");
    }

    [Fact]
    public async Task The_key_as_a_bearer_token_works_as_over_grpc_and_reads_are_audited_on_the_rest_channel()
    {
        await rest.ChildAsync("rest-bearer");
        using var anonymous = rest.Rest(null);

        var result = await anonymous.GetAsync("/v1/children/rest-bearer", new Dictionary<string, string> { ["authorization"] = $"Bearer {rest.Host.EprKey}" });

        Assert.Equal(HttpStatusCode.OK, result.Status);
        var audit = await rest.Host.AuditOfAsync("child/rest-bearer");
        Assert.Contains(audit, e => e.Allowed && e.Channel == "rest" && e.CallerId == "test-epr");
    }

    public static TheoryData<string, string, string?, string, string?, string> BadBodies => new()
    {
        { "an unknown field", "/v1/children/rest-bad:raiseBlocker", "application/json", """{"externalId":"b-1","transitionId":"transition-1","nhsNumbr":"9434765919"}""", "nhsNumbr", "nhsNumbr is not a field of RaiseBlockerRequest; its fields are childId, externalId," },
        { "an unknown nested field", "/v1/children/rest-bad:raiseBlocker", "application/json", """{"externalId":"b-1","targetDate":{"year":2027,"month":1,"date":31}}""", "target_date.date", "target_date.date is not a field of Date" },
        { "text for a message", "/v1/children/rest-bad:raiseBlocker", "application/json", """{"externalId":"b-1","targetDate":"2027-01-31"}""", "target_date", "target_date must be a Date object (year, month, day), not the text \"2027-01-31\"." },
        { "text for a boolean", "/v1/children/rest-bad:raiseBlocker", "application/json", """{"externalId":"b-1","sensitive":"yes"}""", "sensitive", "sensitive must be true or false, not the text \"yes\"" },
        { "a number for text", "/v1/children/rest-bad:raiseBlocker", "application/json", """{"externalId":42}""", "external_id", "external_id must be text, not the number 42" },
        { "a number sent as text", "/v1/children/rest-bad:bookAppointment", "application/json", """{"externalId":"a-1","durationMinutes":"60"}""", "duration_minutes", "duration_minutes must be a whole number, not the text \"60\"." },
        { "a fraction for a whole number", "/v1/children/rest-bad:bookAppointment", "application/json", """{"externalId":"a-1","durationMinutes":60.5}""", "duration_minutes", "duration_minutes must be a whole number, not the number 60.5" },
        { "an unknown enum name", "/v1/children/rest-bad:raiseBlocker", "application/json", """{"externalId":"b-1","category":"PLUMBING"}""", "category", "category: 'PLUMBING' is not a BlockerCategory; use one of BLOCKER_CATEGORY_UNSPECIFIED," },
        { "a timestamp that is not one", "/v1/children/rest-bad:bookAppointment", "application/json", """{"externalId":"a-1","start":"next tuesday"}""", "start", "start is not a google.protobuf.Timestamp (a UTC time like" },
        { "null for text", "/v1/children/rest-bad:raiseBlocker", "application/json", """{"externalId":null}""", "external_id", "external_id is null; leave the field out" },
        { "malformed JSON", "/v1/children/rest-bad:raiseBlocker", "application/json", """{"externalId":"b-1",""", null, "The body is not valid JSON: " },
        { "an array instead of an object", "/v1/children/rest-bad:raiseBlocker", "application/json", """[{"externalId":"b-1"}]""", null, "The body must be a JSON object (the RaiseBlockerRequest), not an array." },
        { "an empty body", "/v1/children/rest-bad:raiseBlocker", "application/json", "", null, "The body is empty; send the RaiseBlockerRequest as a JSON object." },
        { "a form instead of JSON", "/v1/children/rest-bad:raiseBlocker", "application/x-www-form-urlencoded", "externalId=b-1", null, "The body must be JSON ('Content-Type: application/json', UTF-8), not 'application/x-www-form-urlencoded'." },
        { "no content type", "/v1/children/rest-bad:raiseBlocker", null, """{"externalId":"b-1"}""", null, "The request has no Content-Type; send the body as JSON with 'Content-Type: application/json'." },
        { "a charset other than UTF-8", "/v1/children/rest-bad:raiseBlocker", "application/json; charset=iso-8859-1", """{"externalId":"b-1"}""", null, "The body must be JSON ('Content-Type: application/json', UTF-8), not 'application/json; charset=iso-8859-1'." },
        { "a body naming another child than the path", "/v1/children/rest-bad:raiseBlocker", "application/json", """{"childId":"someone-else","externalId":"b-1"}""", "child_id", "child_id is 'rest-bad' in the path but 'someone-else' in the body; give it in the path only." },
        { "two changes in one ingest item", "/v1/ingest", "application/json", """{"items":[{"resolveBlocker":{"childId":"rest-bad"},"cancelBlocker":{"childId":"rest-bad"}}]}""", "items[0].cancel_blocker", "items[0].cancel_blocker: items[0].resolve_blocker is set too, and only one of" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_json_is_a_400_problem_saying_what_is_wrong_changes_nothing_and_the_host_keeps_serving(
        string what, string path, string? contentType, string body, string? field, string says)
    {
        _ = what;
        if (await rest.Epr.GetAsync("/v1/children/rest-bad") is { Status: HttpStatusCode.NotFound or HttpStatusCode.Forbidden })
            await rest.ChildAsync("rest-bad");
        var before = await rest.VersionAsync("rest-bad");

        var result = await rest.Epr.PostAsync(path, body, contentType);

        AssertProblem(result, HttpStatusCode.BadRequest, "INVALID_ARGUMENT", field);
        Assert.StartsWith(says, result["detail"]);
        Assert.Equal(before, await rest.VersionAsync("rest-bad"));
        Assert.Equal(HttpStatusCode.OK, (await rest.Epr.GetAsync("/v1/children/rest-bad")).Status);
    }

    [Fact]
    public async Task A_body_over_the_message_size_limit_is_a_413_problem()
    {
        var huge = $$"""{"externalId":"b-1","professionalText":"{{new string('x', 4 * 1024 * 1024)}}"}""";

        var result = await rest.Epr.PostAsync("/v1/children/rest-huge:raiseBlocker", huge);

        AssertProblem(result, (HttpStatusCode)413, "RESOURCE_EXHAUSTED", field: null);
        Assert.Contains("4194304 bytes", result["detail"]);
    }

    [Fact]
    public async Task The_rest_routes_answer_over_http2_on_the_grpc_port_too()
    {
        await rest.ChildAsync("rest-h2");
        using var http2 = new RestClient(rest.Host.GrpcAddress, rest.Host.EprKey, http2: true);

        var read = await http2.GetAsync("/v1/children/rest-h2");
        var bad = await http2.PostAsync("/v1/children/rest-h2:raiseBlocker", "{");

        Assert.Equal("rest-h2", read.Json.GetProperty("childId").GetString());
        AssertProblem(bad, HttpStatusCode.BadRequest, "INVALID_ARGUMENT", field: null);
    }

    [Fact]
    public async Task The_openapi_description_is_served_without_a_key_and_lists_every_route()
    {
        using var anonymous = rest.Rest(null);

        var result = await anonymous.GetAsync("/openapi/v1.json");

        Assert.Equal((HttpStatusCode.OK, "application/json"), (result.Status, result.MediaType));
        var document = result.Json;
        Assert.StartsWith("3.", document.GetProperty("openapi").GetString());
        var routes = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => $"{operation.Name.ToUpperInvariant()} {path.Name}"))
            .Order(StringComparer.Ordinal)
            .ToList();
        string[] changes = ["acknowledgeEscalation", "bookAppointment", "cancelBlocker", "changeStage", "completeMilestone", "escalateBlocker", "raiseBlocker", "reassignBlocker", "resolveBlocker", "setBlockerStartsAfter", "startTransition", "updateAppointment", "updateBlocker"];
        Assert.Equal(
            new[] { "GET /v1/boards/{board}:watch", "GET /v1/children/{childId}", "GET /v1/children/{childId}:watch", "GET /v1/services/{service}:watch", "POST /v1/children", "POST /v1/ingest" }
                .Concat(changes.Select(c => $"POST /v1/children/{{childId}}:{c}"))
                .Order(StringComparer.Ordinal),
            routes);
        var raise = document.GetProperty("paths").GetProperty("/v1/children/{childId}:raiseBlocker").GetProperty("post");
        Assert.True(raise.GetProperty("responses").GetProperty("default").GetProperty("content").TryGetProperty("application/problem+json", out _));
        Assert.True(document.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("apiKey", out _));
    }

    private static void AssertProblem(RestResult result, HttpStatusCode status, string grpcStatus, string? field)
    {
        Assert.True(result.Status == status && result.MediaType == "application/problem+json", $"{(int)result.Status} {result.MediaType}: {result.Text}");
        Assert.Equal((grpcStatus, field), (result["grpcStatus"], result["field"]));
        Assert.Equal((int)status, result.Json.GetProperty("status").GetInt32());
    }

    private static async Task<JsonElement> NextLineAsync(System.Diagnostics.Process curl)
    {
        var line = await curl.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return JsonDocument.Parse(line ?? throw new InvalidOperationException($"curl ended: {await curl.StandardError.ReadToEndAsync()}")).RootElement.Clone();
    }
}
