using CareTwin.Api.Tests.Infrastructure;

namespace CareTwin.Api.Tests;

/// <summary>The google.api.http options are additive: gRPC clients that learn the contract by reflection still can.</summary>
public sealed class ReflectionWithRestRoutesTests : InMemoryApiTests
{
    [Fact]
    public async Task Server_reflection_serves_each_service_with_every_file_it_imports_so_grpcurl_still_describes_it()
    {
        using var channel = Host.Channel();
        var reflection = new Grpc.Reflection.V1.ServerReflection.ServerReflectionClient(channel);
        using var call = reflection.ServerReflectionInfo();

        var files = new Dictionary<string, Google.Protobuf.ByteString>(StringComparer.Ordinal);
        foreach (var service in CareTwinApiBuilderExtensions.ServiceNames)
        {
            await call.RequestStream.WriteAsync(new Grpc.Reflection.V1.ServerReflectionRequest { FileContainingSymbol = service });
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            foreach (var proto in call.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto)
                files.TryAdd(Google.Protobuf.Reflection.FileDescriptorProto.Parser.ParseFrom(proto).Name, proto);
        }
        await call.RequestStream.CompleteAsync();

        // Building them fails if any import is missing; google/api/annotations.proto must be among them.
        var built = Google.Protobuf.Reflection.FileDescriptor.BuildFromByteStrings(OrderByDependency(files.Values));
        Assert.Contains("google/api/annotations.proto", built.Select(f => f.Name));
        var journeys = built.Single(f => f.Name == "caretwin/v1/journeys.proto").Services.Single();
        Assert.Equal(15, journeys.Methods.Count);
    }

    /// <summary>BuildFromByteStrings wants each file after the files it imports.</summary>
    private static List<Google.Protobuf.ByteString> OrderByDependency(IEnumerable<Google.Protobuf.ByteString> protos)
    {
        var pending = protos.Select(p => (Bytes: p, Proto: Google.Protobuf.Reflection.FileDescriptorProto.Parser.ParseFrom(p))).ToList();
        var ordered = new List<Google.Protobuf.ByteString>();
        var done = new HashSet<string>(StringComparer.Ordinal);
        while (pending.Count > 0)
        {
            var ready = pending.First(p => p.Proto.Dependency.All(done.Contains));
            ordered.Add(ready.Bytes);
            done.Add(ready.Proto.Name);
            pending.Remove(ready);
        }
        return ordered;
    }
}
