using CareTwin.Api.Tests.Infrastructure;
using Google.Protobuf.Reflection;
using Grpc.Reflection.V1Alpha;

namespace CareTwin.Api.Tests;

/// <summary>Server reflection, as grpcurl or Postman use it to discover the API: no key needed.</summary>
public sealed class ReflectionTests : InMemoryApiTests
{
    [Fact]
    public async Task Reflection_lists_the_caretwin_services_and_health_and_describes_them_without_an_api_key()
    {
        using var channel = Host.Channel();
        using var call = new ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo();

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = "caretwin.v1.Journeys" });
        await call.RequestStream.CompleteAsync();
        var responses = new List<ServerReflectionResponse>();
        while (await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)))
            responses.Add(call.ResponseStream.Current);

        Assert.Equal(2, responses.Count);
        var listed = responses[0].ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Superset(
            new HashSet<string> { "caretwin.v1.Journeys", "caretwin.v1.Ingest", "caretwin.v1.Watch", "grpc.health.v1.Health" },
            listed.ToHashSet());
        var files = responses[1].FileDescriptorResponse.FileDescriptorProto.Select(FileDescriptorProto.Parser.ParseFrom).ToList();
        var journeys = Assert.Single(files.Where(f => f.Package == "caretwin.v1").SelectMany(f => f.Service), s => s.Name == "Journeys");
        Assert.Contains(journeys.Method, m => m.Name == "RegisterChild");
    }
}
