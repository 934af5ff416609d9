using System.Globalization;

namespace CareTwin.Bench.Storage;

/// <summary>CPU spent between two samples: this process's threads by role, the store's server processes, and all cores.</summary>
public sealed record CpuBreakdown(TimeSpan Writer, TimeSpan Pool, TimeSpan OtherThreads, TimeSpan? Server, double MachineBusy);

/// <summary>
/// CPU time by where it was spent, from /proc (Linux, 100 ticks/s): this process's threads grouped by role, the
/// processes given as the store's server (PostgreSQL backends on this machine), and the machine's busy share.
/// Tells a store that ran out of one writer's core from one that waited on the disk or the network.
/// </summary>
public sealed class CpuSample
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1.0 / 100);

    private readonly Dictionary<int, (string Role, long Ticks)> _threads;
    private readonly long? _server;
    private readonly long _machineBusy;
    private readonly long _machineTotal;

    private CpuSample(Dictionary<int, (string Role, long Ticks)> threads, long? server, long machineBusy, long machineTotal)
    {
        _threads = threads;
        _server = server;
        _machineBusy = machineBusy;
        _machineTotal = machineTotal;
    }

    /// <param name="serverProcesses">Process ids of the store's server; a server elsewhere has none here and counts as unknown.</param>
    public static CpuSample Take(IReadOnlyList<int> serverProcesses)
    {
        var threads = new Dictionary<int, (string, long)>();
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
            if (ReadStat(Path.Combine(task, "stat")) is { } stat) threads[int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture)] = (Role(stat.Name), stat.Ticks);
        long? server = null;
        foreach (var pid in serverProcesses)
            if (ReadStat($"/proc/{pid}/stat") is { } stat) server = (server ?? 0) + stat.Ticks;
        // cpu  user nice system idle iowait irq softirq steal …: idle and iowait are time spent not computing.
        var jiffies = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
            .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        return new CpuSample(threads, server, jiffies.Sum() - jiffies[3] - jiffies[4], jiffies.Sum());
    }

    public static CpuBreakdown Between(CpuSample before, CpuSample after)
    {
        // A thread that started in the window counts from zero; one that ended loses its share (the pool retires few).
        var byRole = after._threads
            .Select(t => (t.Value.Role, Ticks: t.Value.Ticks - (before._threads.TryGetValue(t.Key, out var b) ? b.Ticks : 0)))
            .GroupBy(t => t.Role).ToDictionary(g => g.Key, g => g.Sum(t => t.Ticks));
        TimeSpan Of(string role) => Tick * byRole.GetValueOrDefault(role);
        return new CpuBreakdown(Of(WriterRole), Of(PoolRole), Of(OtherRole),
            before._server is { } s0 && after._server is { } s1 ? Tick * (s1 - s0) : null,
            (after._machineBusy - before._machineBusy) / (double)Math.Max(1, after._machineTotal - before._machineTotal));
    }

    private const string WriterRole = "writer";
    private const string PoolRole = "pool";
    private const string OtherRole = "other";

    // Thread names are cut to 15 characters: SQLite's group commit runs on the one long-running task thread.
    private static string Role(string threadName) => threadName switch
    {
        ".NET Long Runni" => WriterRole,
        ".NET TP Worker" => PoolRole,
        _ => OtherRole,
    };

    /// <summary>Name and user+system ticks from a /proc stat line: "pid (name) state … utime stime …" (fields 14 and 15).</summary>
    private static (string Name, long Ticks)? ReadStat(string path)
    {
        string line;
        try
        {
            line = File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null; // The thread or process has ended.
        }
        var open = line.IndexOf('(');
        var close = line.LastIndexOf(')');
        var fields = line[(close + 2)..].Split(' ');
        return (line[(open + 1)..close], long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture));
    }
}
