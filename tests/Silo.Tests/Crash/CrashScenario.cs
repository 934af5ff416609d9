using System.Diagnostics;
using CareTwin.Api.Contracts.V1;
using CareTwin.Testing;
using Xunit.Abstractions;

namespace CareTwin.Silo.Tests.Crash;

// The gRPC message, not the journey model's namespace.
using Journey = CareTwin.Api.Contracts.V1.Journey;

/// <summary>
/// The host under a steady stream of changes from concurrent writers is killed (SIGKILL) at random moments,
/// several times, and started again on the same database; writers send every change whose reply did not come
/// back again, with the same external id. Then, on a host started after the last kill: every acknowledged change
/// is in its child's journey exactly once, all of them pushed again are duplicates that change nothing, and the
/// twins rebuild to the same journeys after a clean restart.
/// </summary>
public sealed class CrashScenario(ITestOutputHelper output)
{
    public const int Writers = 6;
    public const int Kills = 5;
    public const string System = "crash-test-epr";

    // Kill somewhere in the second after the writers have shown they are under way on this host.
    private const int MaxKillDelayMilliseconds = 1000;
    private const int MaxIngestItems = 500;
    private const int WaitLimitSeconds = 90;

    public async Task RunAsync(IReadOnlyDictionary<string, string> storage)
    {
        var elapsed = Stopwatch.StartNew();
        var data = Directory.CreateTempSubdirectory("caretwin-crash-");
        using var stop = new CancellationTokenSource();
        try
        {
            var key = GeneratedApiKey.New();
            await using var host = new RestartingHost(data.FullName, Settings(key, storage), key.Key);
            await host.StartAsync();
            // Blockers and appointments name one of its services.
            await host.Process.WaitUntilDemoRegionLoadedAsync(TimeSpan.FromSeconds(WaitLimitSeconds));

            var writers = Enumerable.Range(1, Writers).Select(n => new JourneyWriter(n, host)).ToArray();
            var running = writers.Select(w => Task.Run(() => w.RunAsync(stop.Token))).ToArray();
            var seed = Random.Shared.Next();
            var random = new Random(seed);
            output.WriteLine($"Kill delays from seed {seed}.");
            for (var kill = 1; kill <= Kills; kill++)
            {
                if (kill > 1)
                    await host.StartAsync();
                var before = Total(writers);
                await WhileWritersRun(running, () => Total(writers) >= before + Writers * 2, "the writers under way on this host");
                var delay = random.Next(MaxKillDelayMilliseconds);
                await Task.Delay(delay);
                var pid = host.Process.Pid;
                var acknowledged = Total(writers);
                await host.KillAsync();
                output.WriteLine($"Kill {kill}: SIGKILL to pid {pid} {delay} ms in, {acknowledged} changes acknowledged so far.");
            }

            await host.StartAsync();
            // Each writer had a change under way at the last kill: once each has had a reply from this host, stop.
            var counts = writers.Select(w => w.AcknowledgedCount).ToArray();
            await WhileWritersRun(running, () => writers.Select((w, i) => w.AcknowledgedCount > counts[i]).All(more => more), "every writer acknowledged by the restarted host");
            await stop.CancelAsync();
            await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(WaitLimitSeconds));

            var changes = writers.SelectMany(w => w.Acknowledged).ToList();
            var children = changes.GroupBy(c => c.Change.ChildId).ToDictionary(g => g.Key, g => g.ToList());
            var channel = await host.ChannelAsync();
            var journeys = await ReadJourneysAsync(channel, children.Keys);
            AssertNone(children.SelectMany(child => Problems(child.Key, child.Value, journeys.GetValueOrDefault(child.Key))), "acknowledged changes not there exactly once");

            AssertNone(await ReplayProblemsAsync(channel, changes), "acknowledged changes not a duplicate when pushed again");
            AssertSameJourneys(journeys, await ReadJourneysAsync(channel, children.Keys), "after every acknowledged change was pushed again");

            Assert.Equal(0, await host.StopAsync());
            await host.StartAsync();
            AssertSameJourneys(journeys, await ReadJourneysAsync(await host.ChannelAsync(), children.Keys), "after a clean restart");
            Assert.Equal(0, await host.StopAsync());

            var retried = changes.Where(c => c.Retried).ToList();
            output.WriteLine($"{changes.Count} changes acknowledged for {children.Count} children by {Writers} writers across {Kills} kills. " +
                $"Sent again after a kill: {retried.Count(c => c.Reply.Outcome == ChangeOutcome.Duplicate)} had landed (DUPLICATE), " +
                $"{retried.Count(c => c.Reply.Outcome == ChangeOutcome.Accepted)} had not (ACCEPTED). {elapsed.Elapsed.TotalSeconds:F1} s.");
        }
        finally
        {
            await stop.CancelAsync();
            data.Delete(recursive: true);
        }
    }

    private static Dictionary<string, string> Settings(GeneratedApiKey key, IReadOnlyDictionary<string, string> storage)
    {
        var settings = new Dictionary<string, string>(storage)
        {
            // The demo region's services and no children: a blocker and an appointment need a known service.
            ["Demo__Enabled"] = "true",
            ["Demo__Children"] = "0",
            // Snapshots every few events, so twins rebuild from a snapshot plus the journal after it.
            ["Storage__JournalSnapshotInterval"] = "4",
            // Rate limits are not under test; a replay counts every item.
            ["Api__RateLimit__PermitsPerSecond"] = "1000000",
            ["Api__RateLimit__Burst"] = "1000000",
        };
        foreach (var (name, value) in key.Settings(System, "Crash test EPR", JourneyWriter.Service, managesJourneys: true))
            settings.Add(name, value);
        return settings;
    }

    private static int Total(JourneyWriter[] writers) => writers.Sum(w => w.AcknowledgedCount);

    /// <summary>Waits for the condition; a writer that failed fails the test at once with its reason.</summary>
    private static Task WhileWritersRun(Task[] running, Func<bool> condition, string what) => Eventually.True(() =>
    {
        if (running.FirstOrDefault(t => t.IsFaulted) is { } failed)
            failed.GetAwaiter().GetResult();
        return condition();
    }, what, WaitLimitSeconds);

    /// <summary>Each child's journey, as of now; the summary's clock is left out (it is a clock, not state).</summary>
    private static async Task<Dictionary<string, Journey>> ReadJourneysAsync(RawGrpcChannel channel, IEnumerable<string> children)
    {
        var journeys = new Dictionary<string, Journey>();
        foreach (var child in children)
        {
            try
            {
                var journey = await channel.UnaryAsync(JourneyWriter.Journeys + "GetJourney", new GetJourneyRequest { ChildId = child }, Journey.Parser);
                journey.Summary.AsOf = null;
                journeys[child] = journey;
            }
            catch (GrpcCallException ex) when (ex.Status == GrpcStatusCode.NotFound)
            {
            }
        }
        return journeys;
    }

    /// <summary>
    /// What is wrong with a child's journey given the changes acknowledged for it: each must be there exactly
    /// once (one journal event each, so the version counts them) and fully (what it set is visible).
    /// </summary>
    private static IEnumerable<string> Problems(string child, IReadOnlyList<AcknowledgedChange> changes, Journey? journey)
    {
        if (journey is null)
        {
            yield return $"{child}: {changes.Count} changes acknowledged, but the child is unknown.";
            yield break;
        }
        if (journey.Version != changes.Count)
            yield return $"{child}: version {journey.Version}, but {changes.Count} changes were acknowledged.";
        var raised = changes.Count(c => c.Change.Request is RaiseBlockerRequest);
        if (journey.Blockers.Count != raised)
            yield return $"{child}: {journey.Blockers.Count} blockers, but {raised} raises were acknowledged.";
        var booked = changes.Count(c => c.Change.Request is BookAppointmentRequest);
        if (journey.Appointments.Count != booked)
            yield return $"{child}: {journey.Appointments.Count} appointments, but {booked} bookings were acknowledged.";
        foreach (var (change, reply, _) in changes)
        {
            var problem = change.Request switch
            {
                RegisterChildRequest r => journey.Child?.FamilyName == r.FamilyName ? null : "the child is not registered as sent",
                StartTransitionRequest => journey.Transitions.Count(t => t.Id == "transition-1" && t.Kind == TransitionKind.HospitalDischarge) == 1 && journey.Transitions.Count == 1
                    ? null : $"{journey.Transitions.Count} transitions",
                RaiseBlockerRequest r => journey.Blockers.Where(b => b.ProfessionalText == r.ProfessionalText).ToList() switch
                {
                    [var one] => reply.Outcome != ChangeOutcome.Accepted || one.Id == reply.CreatedId ? null : $"acknowledged as {reply.CreatedId}, recorded as {one.Id}",
                    var found => $"recorded {found.Count} times",
                },
                BookAppointmentRequest r => journey.Appointments.Count(a => a.ExternalId == r.ExternalId && a.SourceSystem == System) is var n && n == 1
                    ? null : $"recorded {n} times",
                UpdateBlockerRequest r => journey.Blockers.SingleOrDefault(b => b.Id == r.BlockerId) is { } blocker
                    && blocker.NamedOwner == r.NamedOwner && blocker.Status == BlockerStatus.InProgress
                    ? null : $"{r.BlockerId} does not show the update",
                var other => $"no check for {other.GetType().Name}",
            };
            if (problem is not null)
                yield return $"{child}: {change.Method} {change.ExternalId} ({reply.Outcome}): {problem}.";
        }
    }

    /// <summary>Every acknowledged change again, through Ingest: each must be a duplicate.</summary>
    private static async Task<List<string>> ReplayProblemsAsync(RawGrpcChannel channel, IReadOnlyList<AcknowledgedChange> changes)
    {
        var problems = new List<string>();
        foreach (var batch in changes.Chunk(MaxIngestItems))
        {
            var request = new IngestRequest();
            request.Items.AddRange(batch.Select(c => c.Change.Item));
            var reply = await channel.UnaryAsync("/caretwin.v1.Ingest/Ingest", request, IngestReply.Parser);
            problems.AddRange(reply.Results.Where(r => r.Outcome != ChangeOutcome.Duplicate)
                .Select(r => $"{r.ChildId} {r.ExternalId} pushed again: {r.Outcome} {r.Message}"));
            if (reply.Results.Count != batch.Length)
                problems.Add($"An Ingest of {batch.Length} items answered {reply.Results.Count} results.");
        }
        return problems;
    }

    private static void AssertNone(IEnumerable<string> problems, string what)
    {
        var all = problems.ToList();
        Assert.True(all.Count == 0, $"{all.Count} {what}:\n{string.Join('\n', all.Take(20))}");
    }

    private static void AssertSameJourneys(Dictionary<string, Journey> expected, Dictionary<string, Journey> actual, string when)
    {
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (child, journey) in expected)
            Assert.True(journey.Equals(actual[child]), $"{child} {when}:\nexpected {journey}\nactual   {actual[child]}");
    }
}
