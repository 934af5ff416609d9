using System.Collections.Concurrent;
using CareTwin.Api.Grpc;
using CareTwin.Api.Tests.Probe;

namespace CareTwin.Api.Tests.Infrastructure;

/// <summary>What the probe's handlers saw, so tests can await a handler's cancellation.</summary>
public sealed class ProbeRecorder
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _started = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _cancelled = new();

    public const string SecretText = "secret-connection-string=Server=db;Password=hunter2";

    /// <summary>Completes when the handler of <paramref name="callId"/> is running.</summary>
    public Task Started(string callId) => Get(_started, callId).Task;

    /// <summary>Completes when the handler of <paramref name="callId"/> saw its token cancelled.</summary>
    public Task Cancelled(string callId) => Get(_cancelled, callId).Task;

    internal void MarkStarted(string callId) => Get(_started, callId).TrySetResult();

    internal void MarkCancelled(string callId) => Get(_cancelled, callId).TrySetResult();

    private static TaskCompletionSource Get(ConcurrentDictionary<string, TaskCompletionSource> map, string callId) =>
        map.GetOrAdd(callId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}

/// <summary>The test-only caretwin.testing.v1.Probe service.</summary>
public sealed class ProbeService(ProbeRecorder recorder) : IGrpcService
{
    public void Bind(GrpcServiceBinder binder) => binder
        .Service(ProbeReflection.Descriptor, "Probe")
        .Unary<EchoRequest, EchoReply>("Echo", EchoAsync)
        .Unary<FailRequest, EchoReply>("Fail", FailAsync)
        .Unary<EchoRequest, EchoReply>("Crash", CrashAsync)
        .Unary<SleepRequest, EchoReply>("Sleep", SleepAsync)
        .ServerStreaming<TicksRequest, Tick>("Ticks", TicksAsync);

    private static Task<EchoReply> EchoAsync(EchoRequest request, ServerCallContext context) =>
        Task.FromResult(new EchoReply
        {
            Text = request.Text,
            HeaderValue = request.HeaderName.Length == 0 ? "" : context.GetRequestHeader(request.HeaderName) ?? "",
            Peer = context.Peer,
            HasDeadline = context.Deadline is not null,
        });

    private static Task<EchoReply> FailAsync(FailRequest request, ServerCallContext context) =>
        throw new RpcException((StatusCode)request.Code, request.Detail);

    private static Task<EchoReply> CrashAsync(EchoRequest request, ServerCallContext context) =>
        throw new InvalidOperationException(ProbeRecorder.SecretText);

    private async Task<EchoReply> SleepAsync(SleepRequest request, ServerCallContext context)
    {
        recorder.MarkStarted(request.CallId);
        await WaitForCancellationAsync(request.CallId, context.CancellationToken);
        return new EchoReply();
    }

    private async Task TicksAsync(TicksRequest request, IServerStreamWriter<Tick> stream, ServerCallContext context)
    {
        recorder.MarkStarted(request.CallId);
        for (var number = 1; number <= request.Count; number++)
        {
            await stream.WriteAsync(new Tick { Number = number });
        }

        if (request.FailCode != 0)
        {
            throw new RpcException((StatusCode)request.FailCode, request.FailDetail);
        }

        if (request.Hold)
        {
            await WaitForCancellationAsync(request.CallId, context.CancellationToken);
        }
    }

    private async Task WaitForCancellationAsync(string callId, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            recorder.MarkCancelled(callId);
            throw;
        }
    }
}
