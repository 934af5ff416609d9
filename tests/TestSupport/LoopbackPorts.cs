using System.Net;
using System.Net.Sockets;

namespace CareTwin.Testing;

/// <summary>Ports for servers a test starts on 127.0.0.1 (PostgreSQL, the host).</summary>
public static class LoopbackPorts
{
    /// <summary>A port the OS just had free; the server that binds it next is almost always ours.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
