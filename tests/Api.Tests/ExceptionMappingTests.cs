using CareTwin.Testing;
using CareTwin.Api.Grpc;
using CareTwin.Api.Tests.Infrastructure;
using CareTwin.Api.Tests.Probe;
using Microsoft.Extensions.Logging;

namespace CareTwin.Api.Tests;

/// <summary>A registered <see cref="IRpcExceptionMapper"/> turns domain exceptions into statuses, so handlers stay thin.</summary>
public sealed class ExceptionMappingTests
{
    [Fact]
    public async Task A_mapped_exception_ends_with_the_mapped_status_and_is_not_logged_as_an_error()
    {
        await using var host = await GrpcTestHost.StartInMemoryAsync(configureGrpc: grpc => grpc.AddExceptionMapper<InvalidOperationMapper>());
        using var client = host.CreateGrpcClient();

        var response = await client.UnaryAsync("/caretwin.testing.v1.Probe/Crash", new EchoRequest());

        Assert.Equal(StatusCode.FailedPrecondition, response.Status);
        Assert.Equal("mapped", response.Message);
        Assert.DoesNotContain(host.Logs.Entries, e => e.Level >= LogLevel.Error);
    }

    private sealed class InvalidOperationMapper : IRpcExceptionMapper
    {
        public bool TryMap(Exception exception, out Status status)
        {
            status = new Status(StatusCode.FailedPrecondition, "mapped");
            return exception is InvalidOperationException;
        }
    }
}
