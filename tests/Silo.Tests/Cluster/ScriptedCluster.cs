using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CareTwin.Testing;
using Xunit.Abstractions;

namespace CareTwin.Silo.Tests.Cluster;

/// <summary>
/// A cluster started by deploy/dev/cluster.sh as a developer runs it (the host built beside these tests): its nodes
/// and balancer as the script printed them, and the script's other commands. Disposing runs <c>cluster.sh down</c>
/// if the test has not, and removes the folder.
/// </summary>
public sealed partial class ScriptedCluster : IAsyncDisposable
{
    public const string EprSystem = "epr-royal-thamesbank";

    private readonly ITestOutputHelper _output;
    private readonly List<Node> _nodes = [];
    private bool _down;

    private ScriptedCluster(string dir, ITestOutputHelper output)
    {
        Dir = dir;
        _output = output;
    }

    public sealed record Node(int Index, Uri Web, Uri Grpc, int Pid);

    public string Dir { get; }

    /// <summary>Each node as the script last printed it (a node started again has a new pid).</summary>
    public IReadOnlyList<Node> Nodes => _nodes;

    public Uri Web { get; private set; } = null!;

    public Uri Grpc { get; private set; } = null!;

    public string KeysFile { get; private set; } = null!;

    /// <summary>The cluster's private PostgreSQL, as every node is given it.</summary>
    public string ConnectionString => File.ReadLines(Path.Combine(Dir, "node-1", "node.env"))
        .Single(l => l.StartsWith("Storage__Postgres__ConnectionString=", StringComparison.Ordinal)).Split('=', 2)[1];

    /// <summary>HAProxy's admin socket.</summary>
    public string AdminSocket => Path.Combine(Dir, "balancer", "admin.sock");

    /// <summary>The demo region's key for the royal-thamesbank EPR (it manages journeys).</summary>
    public string EprKey
    {
        get
        {
            using var keys = JsonDocument.Parse(File.ReadAllText(KeysFile));
            return keys.RootElement.GetProperty("keys").EnumerateArray()
                .Single(k => k.GetProperty("system").GetString() == EprSystem).GetProperty("key").GetString()!;
        }
    }

    /// <summary><c>cluster.sh up <paramref name="nodes"/> DIR settings...</c>, in a fresh folder.</summary>
    public static async Task<ScriptedCluster> UpAsync(int nodes, ITestOutputHelper output, params string[] settings)
    {
        var cluster = new ScriptedCluster(ScratchDirectory.Create("caretwin-cluster-"), output);
        try
        {
            var clock = Stopwatch.StartNew();
            cluster.ParseUp(await cluster.RunAsync(TimeSpan.FromMinutes(3), ["up", nodes.ToString(System.Globalization.CultureInfo.InvariantCulture), cluster.Dir, .. settings]));
            output.WriteLine($"cluster.sh up {nodes}: {clock.Elapsed.TotalSeconds:F1} s");
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary><c>cluster.sh start I DIR</c>: node I again after it was killed; returns once it is ready.</summary>
    public async Task<Node> StartAgainAsync(int index)
    {
        var line = (await RunAsync(TimeSpan.FromMinutes(2), ["start", index.ToString(System.Globalization.CultureInfo.InvariantCulture), Dir])).Trim();
        var node = ParseNode(line);
        Assert.Equal(index, node.Index);
        _nodes[_nodes.FindIndex(n => n.Index == index)] = node;
        return node;
    }

    /// <summary><c>cluster.sh down DIR</c>.</summary>
    public async Task DownAsync()
    {
        await RunAsync(TimeSpan.FromMinutes(2), ["down", Dir]);
        _down = true;
    }

    /// <summary>HAProxy's view of each server ((backend, server) → "UP", "DOWN", "DOWN 1/2", ...), from its admin socket.</summary>
    public async Task<Dictionary<(string Backend, string Server), string>> ServerStatesAsync()
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(AdminSocket));
        await socket.SendAsync("show stat\n"u8.ToArray());
        var text = new StringBuilder();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await socket.ReceiveAsync(buffer)) > 0)
            text.Append(Encoding.UTF8.GetString(buffer, 0, read));
        var lines = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var columns = lines[0].TrimStart('#', ' ').Split(',');
        int Column(string name) => Array.IndexOf(columns, name);
        return lines.Skip(1).Select(l => l.Split(','))
            .Where(f => f[Column("pxname")] is "caretwin_web" or "caretwin_grpc" && f[Column("svname")] is not ("FRONTEND" or "BACKEND"))
            .ToDictionary(f => (f[Column("pxname")], f[Column("svname")]), f => f[Column("status")]);
    }

    /// <summary>Every running process whose command line names the cluster's folder or that runs in it (zombies have no command line).</summary>
    public List<string> ProcessesUnder()
    {
        var root = Path.GetFullPath(Dir).TrimEnd('/');
        var found = new List<string>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out var pid)) continue;
            var commandLine = CommandLine(pid);
            if (commandLine.Length == 0) continue;
            string? cwd = null;
            try
            {
                cwd = new DirectoryInfo(Path.Combine(entry, "cwd")).LinkTarget;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
            if (commandLine.Contains(root + "/", StringComparison.Ordinal) || cwd == root || cwd?.StartsWith(root + "/", StringComparison.Ordinal) == true)
                found.Add($"{pid} (in {cwd}): {commandLine}");
        }
        return found;
    }

    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    public async ValueTask DisposeAsync()
    {
        ReportNodeErrors();
        if (!_down)
        {
            try
            {
                await DownAsync();
            }
            catch (Exception ex)
            {
                _output.WriteLine($"cluster.sh down after a failure: {ex.Message}");
            }
        }
        ScratchDirectory.Remove(Dir);
    }

    /// <summary>The nodes' logged errors, each kind once with its count, for the test's output before the folder goes.</summary>
    private void ReportNodeErrors()
    {
        foreach (var log in Directory.EnumerateFiles(Dir, "node.log", SearchOption.AllDirectories).Order())
        {
            var errors = new List<(string Kind, string Example)>();
            foreach (var line in File.ReadLines(log).Where(l => l.StartsWith('{')))
            {
                using var entry = JsonDocument.Parse(line);
                var root = entry.RootElement;
                if (root.GetProperty("LogLevel").GetString() is "Error" or "Critical")
                    errors.Add(($"{root.GetProperty("Category").GetString()} {root.GetProperty("EventId").GetInt32()}", line.Length > 400 ? line[..400] + "…" : line));
            }
            foreach (var kind in errors.GroupBy(e => e.Kind))
                _output.WriteLine($"{Path.GetRelativePath(Dir, log)}: {kind.Count()} × {kind.Key}, e.g.\n  {kind.First().Example}");
        }
    }

    /// <summary>Exactly one line per node, then one for the balancer, and nothing else on stdout.</summary>
    private void ParseUp(string stdout)
    {
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        _nodes.AddRange(lines[..^1].Select(ParseNode));
        var balancer = BalancerLine().Match(lines[^1]);
        Assert.True(balancer.Success, $"Not the balancer line: {lines[^1]}");
        (Web, Grpc, KeysFile) = (new Uri(balancer.Groups["web"].Value), new Uri($"http://{balancer.Groups["grpc"].Value}/"), balancer.Groups["keys"].Value);
    }

    private static Node ParseNode(string line)
    {
        var node = NodeLine().Match(line);
        Assert.True(node.Success, $"Not a node line: {line}");
        return new Node(int.Parse(node.Groups["i"].Value), new Uri(node.Groups["web"].Value), new Uri($"http://{node.Groups["grpc"].Value}/"), int.Parse(node.Groups["pid"].Value));
    }

    /// <summary>Runs the script; its stdout, or a failure with its stderr.</summary>
    private async Task<string> RunAsync(TimeSpan limit, string[] arguments)
    {
        var run = await ClusterScript.RunAsync(SiloProcess.BesideTests, limit, arguments);
        _output.WriteLine($"cluster.sh {arguments[0]} (stderr):\n{run.Stderr.TrimEnd()}");
        Assert.True(run.ExitCode == 0, $"cluster.sh {string.Join(' ', arguments)} exited with {run.ExitCode}:\n{run.Stderr}");
        return run.Stdout;
    }

    [GeneratedRegex(@"^node (?<i>\d+) web=(?<web>http://127\.0\.0\.1:\d+/) grpc=(?<grpc>127\.0\.0\.1:\d+) pid=(?<pid>\d+)$")]
    private static partial Regex NodeLine();

    [GeneratedRegex(@"^balancer web=(?<web>http://127\.0\.0\.1:\d+/) grpc=(?<grpc>127\.0\.0\.1:\d+) keys=(?<keys>/\S+)$")]
    private static partial Regex BalancerLine();
}
