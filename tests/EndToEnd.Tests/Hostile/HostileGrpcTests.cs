using System.Net;
using System.Text.RegularExpressions;
using CareTwin.Api.Contracts.V1;
using CareTwin.EndToEnd.Tests.Infrastructure;
using CareTwin.Grains.Children;
using CareTwin.Testing;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace CareTwin.EndToEnd.Tests.Hostile;

/// <summary>
/// What a hostile or broken external system can send over gRPC: broken framing and protobuf, control characters
/// and script in text, oversized batches, invalid NHS numbers and dates out of range. Each gets a status that
/// says what is wrong (naming the field where there is one), the child's journal is unchanged, and afterwards
/// the host still answers its health checks (gRPC and HTTP).
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class HostileGrpcTests(EndToEndSite e2e) : IAsyncLifetime
{
    private const string RaiseBlockerPath = "/caretwin.v1.Journeys/RaiseBlocker";

    private RawGrpcChannel _epr = null!;
    private string _childId = null!;

    public async Task InitializeAsync()
    {
        _epr = e2e.Grpc(e2e.EprKey.Key);
        _childId = await e2e.Site.RegisterChildAsync("Hostile", "Grpc");
    }

    public Task DisposeAsync()
    {
        _epr.Dispose();
        return Task.CompletedTask;
    }

    // Grpc.AspNetCore's own answers: the framing is read (and the protobuf parsed) before any CareTwin code runs.
    public static TheoryData<string, string, GrpcStatusCode, string> BrokenFrames => new()
    {
        { "malformed protobuf", "0a ff ff ff ff ff ff ff ff ff 01", GrpcStatusCode.Unknown, "InvalidProtocolBufferException" },
        { "truncated frame", "00 00 00 00 0a 0a 03 61 62", GrpcStatusCode.Internal, "Incomplete message" },
        { "truncated prefix", "00 00 00", GrpcStatusCode.Internal, "Incomplete message" },
        { "no message at all", "", GrpcStatusCode.Internal, "Incomplete message" },
        { "oversize frame announced", "00 10 00 00 00 0a 01 61", GrpcStatusCode.ResourceExhausted, "exceeds the maximum configured message size" },
        { "compressed flag without an encoding", "01 00 00 00 02 0a 00", GrpcStatusCode.Internal, "compressed message" },
        { "invalid compressed flag", "07 00 00 00 02 0a 00", GrpcStatusCode.Unknown, "compressed flag" },
        { "two messages on a unary call", "00 00 00 00 02 0a 00 00 00 00 00 02 0a 00", GrpcStatusCode.Internal, "Additional data after the message" },
    };

    [Theory]
    [MemberData(nameof(BrokenFrames))]
    public async Task A_broken_frame_or_message_ends_the_call_saying_what_is_wrong_and_changes_nothing(string what, string hex, GrpcStatusCode status, string says)
    {
        var body = hex.Length == 0 ? [] : Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));
        // A malformed payload is sent whole, in a correct frame; the others are sent exactly as written.
        if (what == "malformed protobuf") body = RawGrpcChannel.Frame(body);

        var before = await VersionAsync(_childId);
        var (code, detail) = await _epr.SendRawAsync(RaiseBlockerPath, body);

        Assert.Equal(status, code);
        Assert.Contains(says, detail, StringComparison.OrdinalIgnoreCase);
        await AssertUnchangedAndServingAsync(_childId, before);
    }

    [Theory]
    [InlineData("text/plain", null, 415, "Content-Type 'text/plain' is not supported.")]
    [InlineData("application/grpc", "snappy", 200, "Unsupported grpc-encoding value 'snappy'. Supported encodings: identity, gzip, deflate")]
    public async Task A_request_in_a_form_the_api_does_not_speak_is_refused_saying_what_it_accepts(string contentType, string? encoding, int httpStatus, string says)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = e2e.Site.GrpcAddress };
        var request = new HttpRequestMessage(HttpMethod.Post, RaiseBlockerPath)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            // Flagged compressed, as a client using that encoding would send it.
            Content = new ByteArrayContent(RawGrpcChannel.Frame(Blocker(_childId, "wrong-form").ToByteArray(), compressedFlag: encoding is null ? (byte)0 : (byte)1)),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        request.Headers.Add("x-api-key", e2e.EprKey.Key);
        if (encoding is not null) request.Headers.Add("grpc-encoding", encoding);
        var before = await VersionAsync(_childId);

        using var response = await http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        string? Header(string name) => response.TrailingHeaders.TryGetValues(name, out var t) ? t.First() : response.Headers.TryGetValues(name, out var h) ? h.First() : null;

        Assert.Equal(httpStatus, (int)response.StatusCode);
        Assert.Equal(says, Uri.UnescapeDataString(Header("grpc-message") ?? ""));
        await AssertUnchangedAndServingAsync(_childId, before);
    }

    [Fact]
    public async Task A_message_over_the_size_limit_is_refused_before_it_is_read()
    {
        // 5 MiB of well-formed items: over the 4 MiB message limit.
        var batch = new IngestRequest();
        var text = new string('x', 2_000);
        for (var i = 0; i < 2_600; i++) batch.Items.Add(new IngestItem { RaiseBlocker = Blocker(_childId, $"big-{i}", text) });
        Assert.True(batch.CalculateSize() > 4 * 1024 * 1024);

        var before = await VersionAsync(_childId);
        var failed = await Assert.ThrowsAsync<GrpcCallException>(() => _epr.UnaryAsync("/caretwin.v1.Ingest/Ingest", batch, IngestReply.Parser));

        Assert.Equal(GrpcStatusCode.ResourceExhausted, failed.Status);
        await AssertUnchangedAndServingAsync(_childId, before);
    }

    [Fact]
    public async Task A_field_sent_with_the_wrong_protobuf_type_is_not_read_as_a_value_and_the_field_is_named()
    {
        // child_id (field 1, a string) sent as the number 42; everything else as it should be.
        var request = Blocker(childId: "", "wrong-type");
        var wrongType = new byte[] { 0x08, 42 }.Concat(request.ToByteArray()).ToArray();
        var before = await VersionAsync(_childId);

        var (code, detail) = await _epr.SendRawAsync(RaiseBlockerPath, RawGrpcChannel.Frame(wrongType));

        Assert.Equal(GrpcStatusCode.InvalidArgument, code);
        Assert.Equal("child_id is required.", detail);
        await AssertUnchangedAndServingAsync(_childId, before);
    }

    public static TheoryData<string, string, string> HostileText => new()
    {
        { "professional_text", "Waiting for\u0000the grant", "control character" },
        { "professional_text", "Bell\u0007", "control character" },
        { "family_text", "Nearly done \u202Eenod ton", "control character" },
        { "named_owner", "Sam\nSmith", "control character" },
        { "professional_text", new string('x', 2_001), "the limit is 2000" },
        { "professional_text", "   ", "must not be blank" },
    };

    [Theory]
    [MemberData(nameof(HostileText))]
    public async Task Text_with_control_characters_or_beyond_its_limit_is_refused_naming_the_field(string field, string text, string says)
    {
        var request = Blocker(_childId, $"text-{Guid.NewGuid():N}");
        RaiseBlockerRequest.Descriptor.FindFieldByName(field).Accessor.SetValue(request, text);
        var before = await VersionAsync(_childId);

        await RefusedAsync(RaiseBlockerPath, request, field, says);
        await AssertUnchangedAndServingAsync(_childId, before);
    }

    [Fact]
    public async Task Script_in_text_is_kept_as_text_and_the_page_and_the_hub_show_it_as_text_never_as_markup()
    {
        const string Script = "<script>alert('x')</script>";
        const string Image = "<img src=x onerror=alert(1)>";
        var childId = $"hostile-markup-{Guid.NewGuid():N}"[..32];
        var register = new RegisterChildRequest
        {
            ChildId = childId, ExternalId = $"{childId}-register", NhsNumber = "943 476 5919", GivenName = Image, FamilyName = Script,
            DateOfBirth = new Date { Year = 2020, Month = 2, Day = 29 }, HospitalKey = CareTwinSite.Hospital, RegionKey = CareTwinSite.Region,
        };
        await _epr.UnaryAsync("/caretwin.v1.Journeys/RegisterChild", register, ChangeReply.Parser);
        await _epr.UnaryAsync("/caretwin.v1.Journeys/StartTransition", new StartTransitionRequest { ChildId = childId, ExternalId = $"{childId}-start", Kind = TransitionKind.HospitalDischarge }, ChangeReply.Parser);
        await _epr.UnaryAsync(RaiseBlockerPath, Blocker(childId, $"{childId}-blocker", $"Ramp needed {Script} {Image}"), ChangeReply.Parser);

        var coordinator = await RawHubClient.SignInAsync(e2e.Site.Address, "coordinator");
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = coordinator }) { BaseAddress = e2e.Site.Address };
        var page = await http.GetStringAsync($"/children/{childId}");
        var heading = Regex.Match(page, "<h1 id=\"page-heading\">(?<text>[^<]*)</h1>");
        Assert.True(heading.Success, "The child page has its heading, with no element inside it.");
        Assert.Equal($"{Image} {Script}", WebUtility.HtmlDecode(heading.Groups["text"].Value));
        Assert.DoesNotContain(Image, page);
        Assert.DoesNotContain(Script, page);

        await using var hub = await RawHubClient.ConnectAsync(e2e.Site.Address, coordinator);
        var (error, record) = await hub.InvokeAsync("WatchChild", childId);
        Assert.Null(error);
        Assert.Equal($"{Image} {Script}", record!.Value.GetProperty("name").GetString());
        // In JSON it is a string value, exactly as sent; the page's script puts it in the DOM as text (see Web.Tests' JourneyTests).
        Assert.Equal($"Ramp needed {Script} {Image}", record.Value.GetProperty("blockers")[0].GetProperty("professionalText").GetString());
        await e2e.AssertServingAsync();
    }

    [Fact]
    public async Task A_batch_over_the_item_limit_is_refused_whole_naming_items()
    {
        var batch = new IngestRequest();
        for (var i = 0; i <= EndToEndSite.MaxIngestItems; i++) batch.Items.Add(new IngestItem { RaiseBlocker = Blocker(_childId, $"huge-{i}") });
        var before = await VersionAsync(_childId);

        var failed = await Assert.ThrowsAsync<GrpcCallException>(() => _epr.UnaryAsync("/caretwin.v1.Ingest/Ingest", batch, IngestReply.Parser));

        Assert.Equal(GrpcStatusCode.InvalidArgument, failed.Status);
        Assert.StartsWith("items", failed.Detail);
        Assert.Contains($"at most {EndToEndSite.MaxIngestItems}", failed.Detail);
        await AssertUnchangedAndServingAsync(_childId, before);
    }

    [Theory]
    [InlineData("943 476 5918", "check digit")]
    [InlineData("943 476 591", "10 digits")]
    [InlineData("943 476 59190", "10 digits")]
    [InlineData("94A 476 5919", "digits only")]
    [InlineData("123 456 7890", "check value 10")]
    [InlineData("", "required")]
    [InlineData("943\u0000476 5919", "digits only")]
    public async Task An_invalid_nhs_number_is_refused_naming_nhs_number_and_registers_nobody(string nhsNumber, string says)
    {
        var childId = $"hostile-nhs-{Guid.NewGuid():N}"[..30];
        await RefusedAsync("/caretwin.v1.Journeys/RegisterChild", Register(childId, nhsNumber), "nhs_number", says);
        await AssertUnchangedAndServingAsync(childId, 0);
    }

    [Theory]
    [InlineData(1, 1, 1, "more than")]
    [InlineData(9999, 12, 31, "in the future")]
    [InlineData(0, 1, 1, "not a calendar date")]
    [InlineData(2023, 2, 29, "not a calendar date")]
    [InlineData(2023, 13, 1, "not a calendar date")]
    [InlineData(-5, 1, 1, "not a calendar date")]
    public async Task A_date_of_birth_out_of_range_is_refused_naming_it(int year, int month, int day, string says)
    {
        var childId = $"hostile-dob-{Guid.NewGuid():N}"[..30];
        var request = Register(childId, "943 476 5919");
        request.DateOfBirth = new Date { Year = year, Month = month, Day = day };

        await RefusedAsync("/caretwin.v1.Journeys/RegisterChild", request, "date_of_birth", says);
        await AssertUnchangedAndServingAsync(childId, 0);
    }

    [Fact]
    public async Task A_date_of_birth_tomorrow_is_refused()
    {
        var childId = $"hostile-dob-{Guid.NewGuid():N}"[..30];
        var request = Register(childId, "943 476 5919");
        var tomorrow = e2e.Site.Today.AddDays(1);
        request.DateOfBirth = new Date { Year = tomorrow.Year, Month = tomorrow.Month, Day = tomorrow.Day };

        await RefusedAsync("/caretwin.v1.Journeys/RegisterChild", request, "date_of_birth", "in the future");
        await AssertUnchangedAndServingAsync(childId, 0);
    }

    [Theory]
    [InlineData(9999, 12, 31, "more than")]
    [InlineData(2100, 1, 1, "more than")]
    [InlineData(1, 1, 1, "in the past")]
    [InlineData(2026, 2, 30, "not a calendar date")]
    [InlineData(10000, 1, 1, "not a calendar date")]
    public async Task A_target_date_out_of_range_is_refused_naming_target_date(int year, int month, int day, string says)
    {
        var request = Blocker(_childId, $"target-{Guid.NewGuid():N}");
        request.TargetDate = new Date { Year = year, Month = month, Day = day };
        var before = await VersionAsync(_childId);

        await RefusedAsync(RaiseBlockerPath, request, "target_date", says);
        await AssertUnchangedAndServingAsync(_childId, before);
    }

    [Theory]
    [InlineData("9999-12-31T23:30:00Z", "more than")]
    [InlineData("0001-01-01T00:00:00Z", "more than")]
    [InlineData("2200-06-01T09:00:00Z", "more than")]
    public async Task An_appointment_start_out_of_range_is_refused_naming_start(string start, string says)
    {
        var request = Appointment(_childId, Timestamp.FromDateTimeOffset(DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture)));
        var before = await VersionAsync(_childId);

        await RefusedAsync("/caretwin.v1.Journeys/BookAppointment", request, "start", says);
        await AssertUnchangedAndServingAsync(_childId, before);
    }

    [Theory]
    [InlineData(253_402_300_800L, 0)]
    [InlineData(-62_135_596_801L, 0)]
    [InlineData(0L, 1_000_000_000)]
    [InlineData(0L, -1)]
    public async Task A_timestamp_outside_what_protobuf_allows_is_refused_naming_start(long seconds, int nanos)
    {
        var request = Appointment(_childId, new Timestamp { Seconds = seconds, Nanos = nanos });
        var before = await VersionAsync(_childId);

        await RefusedAsync("/caretwin.v1.Journeys/BookAppointment", request, "start");
        await AssertUnchangedAndServingAsync(_childId, before);
    }

    private async Task<long> VersionAsync(string childId) => (await e2e.Site.Grains.GetGrain<IChildGrain>(childId).GetJourney())?.Version ?? 0;

    private async Task AssertUnchangedAndServingAsync(string childId, long before)
    {
        Assert.Equal(before, await VersionAsync(childId));
        await e2e.AssertServingAsync();
    }

    private RaiseBlockerRequest Blocker(string childId, string externalId, string text = "Equipment delivery date not confirmed.") => new()
    {
        ChildId = childId, ExternalId = externalId, TransitionId = "transition-1", Category = BlockerCategory.Equipment, OwningService = EndToEndSite.Ventilation,
        ProfessionalText = text, TargetDate = new Date { Year = e2e.Site.Today.Year + 1, Month = 3, Day = 1 },
    };

    private static BookAppointmentRequest Appointment(string childId, Timestamp start) => new()
    {
        ChildId = childId, ExternalId = $"appointment-{Guid.NewGuid():N}", Service = EndToEndSite.Ventilation, Start = start, DurationMinutes = 60,
        Place = "Ward 4", Purpose = "Ventilation review",
    };

    private static RegisterChildRequest Register(string childId, string nhsNumber) => new()
    {
        ChildId = childId, ExternalId = $"{childId}-register", NhsNumber = nhsNumber, GivenName = "Ada", FamilyName = "Hostile",
        DateOfBirth = new Date { Year = 2021, Month = 6, Day = 1 }, HospitalKey = CareTwinSite.Hospital, RegionKey = CareTwinSite.Region,
    };

    /// <summary>Sends the change as the EPR: refused with INVALID_ARGUMENT naming <paramref name="field"/>, saying <paramref name="says"/>.</summary>
    private async Task RefusedAsync(string path, IMessage request, string field, string? says = null)
    {
        var failed = await Assert.ThrowsAsync<GrpcCallException>(() => _epr.UnaryAsync(path, request, ChangeReply.Parser));
        Assert.Equal(GrpcStatusCode.InvalidArgument, failed.Status);
        Assert.StartsWith(field, failed.Detail);
        if (says is not null) Assert.Contains(says, failed.Detail);
    }
}
