using CareTwin.Api.Contracts.V1;
using CareTwin.Api.Grpc;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using CareTwin.Testing;

namespace CareTwin.Api.Tests.Infrastructure;

// The gRPC message, not the journey model's namespace.
using Journey = CareTwin.Api.Contracts.V1.Journey;

/// <summary>What one call ended with: the status, its message and the reply (when OK).</summary>
public sealed record CallResult<TReply>(StatusCode Status, string? Message, TReply? Reply);

/// <summary>A caretwin.v1 client over the raw gRPC client, sending an API key (or none).</summary>
public sealed class CareTwinClient(RawGrpcClient raw, string? key) : IDisposable
{
    public const string Journeys = "/caretwin.v1.Journeys/";
    public const string Ingest = "/caretwin.v1.Ingest/Ingest";
    public const string Watch = "/caretwin.v1.Watch/";

    public RawGrpcClient Raw => raw;

    public async Task<CallResult<TReply>> CallAsync<TReply>(string path, IMessage request, MessageParser<TReply> parser)
        where TReply : IMessage<TReply>
    {
        var response = await raw.UnaryAsync(path, request, Authorize);
        var status = response.Status ?? throw new InvalidOperationException($"{path} ended without grpc-status.");
        return new CallResult<TReply>(status, response.Message, status == StatusCode.OK ? response.Single(parser) : default);
    }

    /// <summary>A Journeys change (method name, e.g. "RaiseBlocker").</summary>
    public Task<CallResult<ChangeReply>> ChangeAsync(string method, IMessage request) => CallAsync(Journeys + method, request, ChangeReply.Parser);

    /// <summary>A change that must be accepted; returns its reply.</summary>
    public async Task<ChangeReply> AcceptedAsync(string method, IMessage request)
    {
        var result = await ChangeAsync(method, request);
        Assert.True(result.Status == StatusCode.OK, $"{method}: {result.Status} {result.Message}");
        Assert.Equal(ChangeOutcome.Accepted, result.Reply!.Outcome);
        return result.Reply;
    }

    public Task<CallResult<Journey>> GetJourneyAsync(string childId) =>
        CallAsync(Journeys + "GetJourney", new GetJourneyRequest { ChildId = childId }, Journey.Parser);

    public Task<CallResult<IngestReply>> IngestAsync(IngestRequest request) => CallAsync(Ingest, request, IngestReply.Parser);

    /// <summary>Opens a watch (method name, e.g. "WatchChild"); read its messages with <see cref="GrpcResponseStream.ReadMessageAsync"/>.</summary>
    public Task<GrpcResponseStream> OpenWatchAsync(string method, IMessage request, CancellationToken cancellationToken = default)
    {
        var message = RawGrpcClient.Request(Watch + method, GrpcChannel.Frame(request));
        Authorize(message);
        return raw.OpenStreamAsync(message, cancellationToken);
    }

    /// <summary>A child registered by the EPR, with a hospital discharge under way (transition-1).</summary>
    public async Task RegisterWithDischargeAsync(string childId)
    {
        await AcceptedAsync("RegisterChild", Requests.Register(childId));
        await AcceptedAsync("StartTransition", new StartTransitionRequest { ChildId = childId, ExternalId = $"{childId}-start", Kind = TransitionKind.HospitalDischarge });
    }

    public void Dispose() => raw.Dispose();

    private void Authorize(HttpRequestMessage message)
    {
        if (key is not null)
            message.Headers.Add("x-api-key", key);
    }
}

/// <summary>Reads a watch's messages and its final status.</summary>
public static class WatchReading
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    public static async Task<T> NextAsync<T>(this GrpcResponseStream stream, MessageParser<T> parser)
        where T : IMessage<T>
    {
        var message = await stream.ReadMessageAsync().WaitAsync(Bound) ?? throw new InvalidOperationException($"The watch ended: {stream.EndStatus()}");
        return parser.ParseFrom(message);
    }

    /// <summary>Reads to the end and returns the status (trailers, or the headers of a trailers-only response).</summary>
    public static async Task<(StatusCode Status, string? Message)> EndAsync(this GrpcResponseStream stream)
    {
        while (await stream.ReadMessageAsync().WaitAsync(Bound) is not null)
        {
        }
        return stream.EndStatus();
    }

    public static (StatusCode Status, string? Message) EndStatus(this GrpcResponseStream stream)
    {
        var response = stream.Response;
        string? Value(string name) =>
            response.TrailingHeaders.TryGetValues(name, out var t) ? t.First() : response.Headers.TryGetValues(name, out var h) ? h.First() : null;
        var code = Value("grpc-status") ?? throw new InvalidOperationException("The watch has no grpc-status yet.");
        return ((StatusCode)int.Parse(code, System.Globalization.CultureInfo.InvariantCulture), Value("grpc-message") is { } m ? StatusMessageEncoding.Decode(m) : null);
    }
}

/// <summary>Well-formed requests the tests vary.</summary>
public static class Requests
{
    public const string NhsNumber = "943 476 5919";

    public static RegisterChildRequest Register(string childId) => new()
    {
        ChildId = childId,
        ExternalId = $"{childId}-register",
        NhsNumber = NhsNumber,
        GivenName = "Amara",
        FamilyName = "Okafor",
        DateOfBirth = new Date { Year = 2021, Month = 3, Day = 14 },
        HospitalKey = CareTwinApiHost.Hospital,
        RegionKey = CareTwinApiHost.Region,
        CareTeam = { new CareTeamMember { Name = "Dr Rao", Role = "Consultant" } },
    };

    public static RaiseBlockerRequest Blocker(string childId, string externalId, string service, BlockerCategory category = BlockerCategory.HousingAdaptation) => new()
    {
        ChildId = childId,
        ExternalId = externalId,
        TransitionId = "transition-1",
        Category = category,
        OwningService = service,
        ProfessionalText = "Ground-floor bedroom needed; grant application submitted.",
        FamilyText = "Adapting your home.",
        TargetDate = InDays(30),
    };

    public static BookAppointmentRequest Appointment(string childId, string externalId, string service) => new()
    {
        ChildId = childId,
        ExternalId = externalId,
        Service = service,
        Start = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(3)),
        DurationMinutes = 60,
        Place = "Home visit",
        Purpose = "Home assessment",
    };

    public static Date InDays(int days)
    {
        var date = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(days);
        return new Date { Year = date.Year, Month = date.Month, Day = date.Day };
    }
}
