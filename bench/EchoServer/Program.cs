using System.Globalization;
using System.Net;
using CareTwin.Bench.Echo;
using Grpc.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core;

// A bare Grpc.AspNetCore unary echo on 127.0.0.1:PORT (h2c), until SIGTERM or Ctrl+C.
//   dotnet CareTwin.EchoServer.dll --port 5099
var at = Array.IndexOf(args, "--port");
var port = at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : 5099;
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2));
builder.Services.AddGrpc();
var app = builder.Build();
app.MapGrpcService<EchoService>();
await app.StartAsync();
Console.WriteLine($"Echo listening on http://127.0.0.1:{port}");
await app.WaitForShutdownAsync();

internal sealed class EchoService : Echo.EchoBase
{
    public override Task<EchoReply> Say(EchoRequest request, ServerCallContext context) => Task.FromResult(new EchoReply { Text = request.Text });
}
