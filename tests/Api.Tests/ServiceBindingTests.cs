using CareTwin.Api.Grpc;
using CareTwin.Api.Tests.Probe;
using Grpc.Health.V1;

namespace CareTwin.Api.Tests;

/// <summary>Binding mistakes fail at startup with a message that says what is wrong.</summary>
public sealed class ServiceBindingTests
{
    [Fact]
    public void Binding_an_unknown_service_fails() =>
        AssertBindingFails(b => b.Service(ProbeReflection.Descriptor, "Nope"), "caretwin/testing/v1/probe.proto declares no service 'Nope'.");

    [Fact]
    public void Binding_an_unknown_method_fails() =>
        AssertBindingFails(
            b => b.Service(ProbeReflection.Descriptor, "Probe").Unary<EchoRequest, EchoReply>("Nope", (_, _) => Task.FromResult(new EchoReply())),
            "caretwin.testing.v1.Probe has no method 'Nope'.");

    [Fact]
    public void Binding_a_streaming_method_as_unary_fails() =>
        AssertBindingFails(
            b => b.Service(ProbeReflection.Descriptor, "Probe").Unary<TicksRequest, Tick>("Ticks", (_, _) => Task.FromResult(new Tick())),
            "caretwin.testing.v1.Probe/Ticks is server-streaming; bind it with ServerStreaming.");

    [Fact]
    public void Binding_a_unary_method_as_streaming_fails() =>
        AssertBindingFails(
            b => b.Service(ProbeReflection.Descriptor, "Probe").ServerStreaming<EchoRequest, EchoReply>("Echo", (_, _, _) => Task.CompletedTask),
            "caretwin.testing.v1.Probe/Echo is unary; bind it with Unary.");

    [Fact]
    public void Binding_with_other_message_types_fails() =>
        AssertBindingFails(
            b => b.Service(ProbeReflection.Descriptor, "Probe").Unary<HealthCheckRequest, EchoReply>("Echo", (_, _) => Task.FromResult(new EchoReply())),
            "caretwin.testing.v1.Probe/Echo takes EchoRequest and returns EchoReply, not HealthCheckRequest and EchoReply.");

    [Fact]
    public void Binding_a_method_twice_fails() =>
        AssertBindingFails(
            b => b.Service(ProbeReflection.Descriptor, "Probe")
                .Unary<EchoRequest, EchoReply>("Echo", (_, _) => Task.FromResult(new EchoReply()))
                .Unary<EchoRequest, EchoReply>("Echo", (_, _) => Task.FromResult(new EchoReply())),
            "/caretwin.testing.v1.Probe/Echo is bound twice.");

    [Fact]
    public void Services_are_bound_once()
    {
        var registry = new GrpcMethodRegistry();
        registry.Bind([]);

        var error = Assert.Throws<InvalidOperationException>(() => registry.Bind([]));
        Assert.Equal("gRPC services are already mapped; call MapGrpcServices once.", error.Message);
    }

    private static void AssertBindingFails(Action<GrpcServiceBinder> bind, string message)
    {
        var error = Assert.Throws<InvalidOperationException>(() => new GrpcMethodRegistry().Bind([new Binding(bind)]));
        Assert.Equal(message, error.Message);
    }

    private sealed class Binding(Action<GrpcServiceBinder> bind) : IGrpcService
    {
        public void Bind(GrpcServiceBinder binder) => bind(binder);
    }
}
