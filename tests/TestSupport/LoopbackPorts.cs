using System.Net;
using System.Net.Sockets;

namespace CareTwin.Testing;

/// <summary>Ports for servers a test starts on 127.0.0.1 (PostgreSQL, the host).</summary>
public static class LoopbackPorts
{
    // Below the kernel's ephemeral range: a port chosen from inside it can be taken by any outgoing connection
    // between being chosen and being bound (seen: a restarted node failing with "address already in use").
    private const int Lowest = 20_000;
    private static readonly Lock Gate = new();
    private static readonly HashSet<int> Given = [];

    /// <summary>
    /// A random port below the ephemeral range that is free on every interface now and not given out before by
    /// this process, so nothing but another test process choosing at random can take it before the server binds it.
    /// </summary>
    public static int Free()
    {
        var highest = EphemeralRangeStart() - 1;
        for (var attempt = 0; attempt < 1_000; attempt++)
        {
            var port = Random.Shared.Next(Lowest, highest + 1);
            lock (Gate)
            {
                if (Given.Contains(port) || !BindsNow(port))
                    continue;
                Given.Add(port);
                return port;
            }
        }
        throw new InvalidOperationException($"No free port between {Lowest} and {highest}.");
    }

    private static bool BindsNow(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Any, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int EphemeralRangeStart()
    {
        try
        {
            var low = int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[0],
                System.Globalization.CultureInfo.InvariantCulture);
            return low > Lowest + 1_000 ? low : 32_768;
        }
        catch (IOException)
        {
            return 32_768;
        }
    }
}
