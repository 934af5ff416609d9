using CareTwin.Api.Tests.Infrastructure;

namespace CareTwin.Api.Tests;

/// <summary>The interop contract with Debian's python3-grpcio, stubs generated at test time from the same .proto files.</summary>
public sealed class CareTwinPythonInteropTests(PythonGrpcClient python, SharedKestrelHost shared) : InteropContractTests<PythonGrpcClient>(python, shared),
    IClassFixture<PythonGrpcClient>, IClassFixture<SharedKestrelHost>
{
    protected override string Prefix => "py";
}
