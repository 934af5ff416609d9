using CareTwin.Api.Tests.Infrastructure;

namespace CareTwin.Api.Tests;

/// <summary>The interop contract with Node's @grpc/grpc-js, loading the same .proto files at run time with @grpc/proto-loader.</summary>
public sealed class CareTwinNodeInteropTests(NodeGrpcClient node, SharedKestrelHost shared) : InteropContractTests<NodeGrpcClient>(node, shared),
    IClassFixture<NodeGrpcClient>, IClassFixture<SharedKestrelHost>
{
    protected override string Prefix => "node";
}
