using CareTwin.Api.Contracts.V1;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Google.Protobuf.WellKnownTypes;
using CareTwin.Testing;

namespace CareTwin.Api.Tests.Infrastructure;

// The gRPC message, not the journey model's namespace.
using Journey = CareTwin.Api.Contracts.V1.Journey;

/// <summary>What one call ended with: the status, its message and the reply (when OK).</summary>
public sealed record CallResult<TReply>(StatusCode Status, string? Message, TReply? Reply);

/// <summary>
/// A caretwin.v1 client on Grpc.Net.Client, addressing methods by path (so tests name the RPC they mean) and
/// sending an API key (or none).
/// </summary>
public sealed class CareTwinClient(GrpcChannel channel, string? key) : IDisposable
{
    public const string Journeys = "/caretwin.v1.Journeys/";
    public const string Ingest = "/caretwin.v1.Ingest/Ingest";
    public const string Watch = "/caretwin.v1.Watch/";

    private static readonly Marshaller<IMessage> Requests = Marshallers.Create<IMessage>(m => m.ToByteArray(), _ => throw new NotSupportedException());
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    private readonly CallInvoker _invoker = channel.CreateCallInvoker();

    /// <param name="headers">Sent instead of the client's key, for tests of what callers may present.</param>
    public async Task<CallResult<TReply>> CallAsync<TReply>(string path, IMessage request, MessageParser<TReply> parser, Metadata? headers = null)
        where TReply : IMessage<TReply>
    {
        try
        {
            var options = headers is null ? Options() : new CallOptions(headers);
            var reply = await _invoker.AsyncUnaryCall(Method(MethodType.Unary, path), null, options, request);
            return new CallResult<TReply>(StatusCode.OK, null, parser.ParseFrom(reply));
        }
        catch (RpcException failed)
        {
            return new CallResult<TReply>(failed.StatusCode, failed.Status.Detail, default);
        }
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

    /// <summary>Opens a watch (method name, e.g. "WatchChild"); read it with <see cref="WatchCall.NextAsync"/>.</summary>
    /// <param name="deadline">Sent as grpc-timeout, and enforced by the client too, as Grpc.Net.Client does.</param>
    public Task<WatchCall> OpenWatchAsync(string method, IMessage request, CancellationToken cancellationToken = default, DateTime? deadline = null)
    {
        var call = _invoker.AsyncServerStreamingCall(Method(MethodType.ServerStreaming, Watch + method), null, Options(cancellationToken, deadline), request);
        return Task.FromResult(new WatchCall(call));
    }

    /// <summary>A child registered by the EPR, with a hospital discharge under way (transition-1).</summary>
    public async Task RegisterWithDischargeAsync(string childId)
    {
        await AcceptedAsync("RegisterChild", Infrastructure.Requests.Register(childId));
        await AcceptedAsync("StartTransition", new StartTransitionRequest { ChildId = childId, ExternalId = $"{childId}-start", Kind = TransitionKind.HospitalDischarge });
    }

    public void Dispose() => channel.Dispose();

    private CallOptions Options(CancellationToken cancellationToken = default, DateTime? deadline = null)
    {
        var headers = new Metadata();
        if (key is not null)
            headers.Add("x-api-key", key);
        return new CallOptions(headers, deadline, cancellationToken);
    }

    private static Method<IMessage, byte[]> Method(MethodType type, string path)
    {
        var parts = path.Trim('/').Split('/');
        return new Method<IMessage, byte[]>(type, parts[0], parts[1], Requests, Bytes);
    }
}

/// <summary>An open watch: its messages one by one, then how it ended.</summary>
public sealed class WatchCall(AsyncServerStreamingCall<byte[]> call) : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    public async Task<T> NextAsync<T>(MessageParser<T> parser)
        where T : IMessage<T>
    {
        if (!await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Bound))
            throw new InvalidOperationException($"The watch ended: {call.GetStatus()}");
        return parser.ParseFrom(call.ResponseStream.Current);
    }

    /// <summary>Reads to the end and returns the status the watch ended with.</summary>
    public async Task<(StatusCode Status, string? Message)> EndAsync()
    {
        try
        {
            while (await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Bound))
            {
            }
            return (StatusCode.OK, null);
        }
        catch (RpcException ended)
        {
            return (ended.StatusCode, ended.Status.Detail);
        }
    }

    public void Dispose() => call.Dispose();
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
