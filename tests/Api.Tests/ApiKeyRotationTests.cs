using System.Text.Json;
using CareTwin.Api.Authentication;
using CareTwin.Api.Contracts.V1;
using CareTwin.Api.Tests.Infrastructure;
using CareTwin.Testing;
using Grpc.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CareTwin.Api.Tests;

/// <summary>
/// Rotating a system's key without downtime: two keys at once (KeyHash and NextKeyHash), the keys file
/// (Api:KeysFile) and configuration reloaded while the host runs, a removed key refused at once (open watches
/// included), and a reload that is not valid leaving the keys in force.
/// </summary>
public sealed class ApiKeyRotationTests : IAsyncLifetime
{
    private const string Rotating = "test-rotating";

    private readonly string _directory = ScratchDirectory.Create("caretwin-api-keys-");
    private readonly string _oldKey = ApiKey.New();
    private readonly string _newKey = ApiKey.New();
    private CareTwinApiHost _host = null!;

    private string KeysFile => Path.Combine(_directory, "api-keys.json");

    public async Task InitializeAsync()
    {
        WriteKeys(Entry(ApiKey.Hash(_oldKey), ApiKey.Hash(_newKey)));
        _host = await StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        ScratchDirectory.Remove(_directory);
    }

    [Fact]
    public async Task Both_keys_of_a_system_work_as_the_same_system_and_logs_tell_them_apart_by_fingerprint_only()
    {
        using var old = _host.Client(_oldKey);
        using var next = _host.Client(_newKey);

        await old.AcceptedAsync("RegisterChild", Requests.Register("rotation-both"));
        var again = await next.ChangeAsync("RegisterChild", Requests.Register("rotation-both"));

        // The same (system, external id): the second key's push is the first one's duplicate, not a new change.
        Assert.Equal((StatusCode.OK, ChangeOutcome.Duplicate), (again.Status, again.Reply!.Outcome));
        Assert.Equal(StatusCode.OK, (await next.GetJourneyAsync("rotation-both")).Status);
        Assert.Contains(_host.Logs.Entries, e => e.Message.Contains($"API key {Fingerprint(_oldKey)} (KeyHash) of {Rotating} used", StringComparison.Ordinal));
        Assert.Contains(_host.Logs.Entries, e => e.Message.Contains($"API key {Fingerprint(_newKey)} (NextKeyHash) of {Rotating} used", StringComparison.Ordinal));
        Assert.DoesNotContain(_host.Logs.Entries, e => e.Message.Contains(_oldKey, StringComparison.Ordinal) || e.Message.Contains(_newKey, StringComparison.Ordinal));
        Assert.DoesNotContain(_host.Logs.Entries, e => e.Message.Contains(ApiKey.Hash(_oldKey), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Removing_the_old_key_from_the_file_refuses_it_within_seconds_while_the_new_key_goes_on_without_a_restart()
    {
        using var old = _host.Client(_oldKey);
        using var next = _host.Client(_newKey);
        Assert.Equal(StatusCode.NotFound, (await old.GetJourneyAsync("rotation-none")).Status); // authenticated; no such child

        WriteKeys(Entry(ApiKey.Hash(_newKey)));

        await Eventually.True(async () => (await old.GetJourneyAsync("rotation-none")).Status == StatusCode.Unauthenticated, "the old key refused", 10);
        Assert.Equal(StatusCode.NotFound, (await next.GetJourneyAsync("rotation-none")).Status);
        using var housing = _host.Client(_host.HousingKey);
        // Configured keys untouched (a housing key is told an unknown child is not its to see).
        Assert.Equal(StatusCode.PermissionDenied, (await housing.GetJourneyAsync("rotation-none")).Status);
        var reloaded = Assert.Single(_host.Logs.Entries, e => e.Message.StartsWith("API keys reloaded", StringComparison.Ordinal));
        Assert.Contains(KeysFile, reloaded.Message);
        Assert.Contains($"ended: {Rotating} {Fingerprint(_oldKey)} (KeyHash)", reloaded.Message);
    }

    [Fact]
    public async Task A_watch_opened_with_a_key_that_is_removed_ends_unauthenticated_and_one_opened_with_the_other_key_goes_on()
    {
        using var old = _host.Client(_oldKey);
        using var next = _host.Client(_newKey);
        await next.RegisterWithDischargeAsync("rotation-watch");
        using var oldWatch = await old.OpenWatchAsync("WatchChild", new WatchChildRequest { ChildId = "rotation-watch" });
        using var newWatch = await next.OpenWatchAsync("WatchChild", new WatchChildRequest { ChildId = "rotation-watch" });
        Assert.NotNull((await oldWatch.NextAsync(ChildUpdate.Parser)).Snapshot);
        Assert.NotNull((await newWatch.NextAsync(ChildUpdate.Parser)).Snapshot);

        WriteKeys(Entry(ApiKey.Hash(_newKey)));
        var (status, message) = await oldWatch.EndAsync();
        await next.AcceptedAsync("RaiseBlocker", Requests.Blocker("rotation-watch", "b-1", CareTwinApiHost.Ward));

        Assert.Equal(StatusCode.Unauthenticated, status);
        Assert.Equal("The API key this watch was opened with has been revoked (removed from CareTwin's configuration); use the system's current key.", message);
        Assert.Equal(3, (await newWatch.NextAsync(ChildUpdate.Parser)).Change.Version);
    }

    [Fact]
    public async Task A_rest_watch_made_with_a_removed_key_ends_with_a_last_line_saying_so()
    {
        await using var host = await CareTwinApiHost.StartKestrelAsync(new Dictionary<string, string?> { ["Api:KeysFile"] = KeysFile });
        using var grpc = host.Client(_newKey);
        await grpc.RegisterWithDischargeAsync("rotation-rest");
        using var rest = new RestClient(host.Http1Address, _oldKey);
        using var watch = await rest.WatchAsync("/v1/children/rotation-rest:watch");
        Assert.True((await watch.NextAsync()).TryGetProperty("snapshot", out _));

        WriteKeys(Entry(ApiKey.Hash(_newKey)));
        var last = JsonDocument.Parse(await watch.RestAsync()).RootElement;

        Assert.Equal((16, "The API key this watch was opened with has been revoked (removed from CareTwin's configuration); use the system's current key."),
            (last.GetProperty("code").GetInt32(), last.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task A_watch_whose_key_loses_the_service_it_watches_ends_unavailable_and_cannot_be_opened_again()
    {
        WriteKeys(Entry(ApiKey.Hash(_oldKey), services: [CareTwinApiHost.Ward, CareTwinApiHost.Housing], managesJourneys: false));
        using var client = _host.Client(_oldKey);
        await Eventually.True(async () =>
        {
            using var probe = await client.OpenWatchAsync("WatchService", new WatchServiceRequest { Service = CareTwinApiHost.Housing });
            try
            {
                return (await probe.NextAsync(ServiceUpdate.Parser)).Snapshot is not null;
            }
            catch (RpcException)
            {
                return false;
            }
        }, "the key acting for housing", 10);
        using var watch = await client.OpenWatchAsync("WatchService", new WatchServiceRequest { Service = CareTwinApiHost.Housing });
        Assert.NotNull((await watch.NextAsync(ServiceUpdate.Parser)).Snapshot);

        WriteKeys(Entry(ApiKey.Hash(_oldKey), services: [CareTwinApiHost.Ward], managesJourneys: false));
        var (status, message) = await watch.EndAsync();
        using var reopened = await client.OpenWatchAsync("WatchService", new WatchServiceRequest { Service = CareTwinApiHost.Housing });

        Assert.Equal(StatusCode.Unavailable, status);
        Assert.Equal("What the API key this watch was opened with may do has been changed; open the watch again (the key still works).", message);
        Assert.Equal(StatusCode.PermissionDenied, (await reopened.EndAsync()).Status);
    }

    [Fact]
    public async Task A_keys_file_that_is_not_valid_keeps_the_keys_in_force_and_says_why_in_one_error_line_each_time_it_changes()
    {
        using var old = _host.Client(_oldKey);
        using var next = _host.Client(_newKey);
        var broken = new (string Content, string Says)[]
        {
            ("{ \"keys\": [ ", "is not a keys file"),
            (Json(Entry("ctk_this-is-a-key-not-a-hash")), "keys[0]:KeyHash must be the key's SHA-256 as 64 hex digits"),
            (Json(new { system = Rotating, displayName = "Rotating", keyHash = ApiKey.Hash(_oldKey), nextKeyHsh = ApiKey.Hash(_newKey) }), "nextKeyHsh"),
            (Json(Entry(ApiKey.Hash(_oldKey), system: "test-epr")), "system 'test-epr' is configured more than once (Api:Keys:0, "),
            (Json(Entry(ApiKey.Hash(_host.HousingKey))), "are the same key"),
            ("", "is not a keys file"),
        };

        foreach (var (i, (content, says)) in broken.Index())
        {
            Write(content);
            await Eventually.True(() => Errors().Count == i + 1, $"an error line for: {says}", 10);
            var error = Errors()[i];
            Assert.Contains(says, error.Message);
            Assert.Contains(KeysFile, error.Message);
            Assert.Contains("the 5 keys in force stay", error.Message);
            Assert.DoesNotContain("ctk_this-is-a-key-not-a-hash", error.Message);
            Assert.Equal(StatusCode.NotFound, (await old.GetJourneyAsync("rotation-none")).Status);
            Assert.Equal(StatusCode.NotFound, (await next.GetJourneyAsync("rotation-none")).Status);
        }

        File.Delete(KeysFile);
        await Eventually.True(() => Errors().Count == broken.Length + 1, "an error line for the missing file", 10);
        Assert.Contains("does not exist", Errors()[^1].Message);
        Assert.Equal(StatusCode.NotFound, (await old.GetJourneyAsync("rotation-none")).Status);

        // Put right, the file is applied as usual.
        WriteKeys(Entry(ApiKey.Hash(_newKey)));
        await Eventually.True(async () => (await old.GetJourneyAsync("rotation-none")).Status == StatusCode.Unauthenticated, "the old key refused", 10);
        Assert.Equal(StatusCode.NotFound, (await next.GetJourneyAsync("rotation-none")).Status);
        Assert.Equal(broken.Length + 1, Errors().Count); // one line per change, not one per check
    }

    [Fact]
    public async Task Keys_in_configuration_may_have_a_next_key_too_and_are_reloaded_with_it_while_a_reload_that_is_not_valid_changes_nothing()
    {
        var next = ApiKey.New();
        await using var host = await CareTwinApiHost.StartInMemoryAsync(new Dictionary<string, string?> { ["Api:Keys:1:NextKeyHash"] = ApiKey.Hash(next) });
        using var housing = host.Client(host.HousingKey);
        using var housingNext = host.Client(next);
        // Authenticated, both: a housing key is told an unknown child is not its to see.
        Assert.Equal(StatusCode.PermissionDenied, (await housing.GetJourneyAsync("rotation-none")).Status);
        Assert.Equal(StatusCode.PermissionDenied, (await housingNext.GetJourneyAsync("rotation-none")).Status);
        var configuration = (IConfigurationRoot)host.Services.GetRequiredService<IConfiguration>();

        // Not valid: the keys in force stay, and one error line names the setting (never its value).
        configuration["Api:Keys:1:KeyHash"] = "ctk_not-a-hash";
        configuration.Reload(); // as a change to appsettings.json does
        var error = Assert.Single(host.Logs.Entries, e => e.Level == LogLevel.Error && e.Message.StartsWith("API keys not reloaded", StringComparison.Ordinal));
        Assert.Contains("Api:Keys:1:KeyHash must be the key's SHA-256", error.Message);
        Assert.DoesNotContain("ctk_not-a-hash", error.Message);
        Assert.Equal(StatusCode.PermissionDenied, (await housing.GetJourneyAsync("rotation-none")).Status);

        // The rotation's last step: the next key becomes the key, and the old one is refused.
        configuration["Api:Keys:1:KeyHash"] = ApiKey.Hash(next);
        configuration["Api:Keys:1:NextKeyHash"] = null;
        configuration.Reload(); // as a change to appsettings.json does
        Assert.Equal(StatusCode.Unauthenticated, (await housing.GetJourneyAsync("rotation-none")).Status);
        Assert.Equal(StatusCode.PermissionDenied, (await housingNext.GetJourneyAsync("rotation-none")).Status);
    }

    [Fact]
    public async Task A_keys_file_that_is_missing_or_not_valid_at_start_stops_the_start_with_one_line_naming_it()
    {
        var missing = Path.Combine(_directory, "no-such-file.json");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(missing));
        Assert.Equal($"Api:KeysFile: {missing} does not exist (write {{\"keys\": []}} for a file with no keys).", error.Message);

        WriteKeys(Entry("ctk_this-is-a-key-not-a-hash", system: "not a system"));
        error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync());
        Assert.Contains($"{KeysFile} keys[0]:System 'not a system' must be", error.Message);
        Assert.Contains($"{KeysFile} keys[0]:KeyHash must be the key's SHA-256", error.Message);
        Assert.DoesNotContain("ctk_this-is-a-key-not-a-hash", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task A_next_key_that_is_another_keys_key_stops_the_start()
    {
        var shared = ApiKey.Hash(ApiKey.New());
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => CareTwinApiHost.StartInMemoryAsync(new Dictionary<string, string?>
        {
            ["Api:Keys:0:NextKeyHash"] = shared,
            ["Api:Keys:1:KeyHash"] = shared,
        }));

        Assert.Contains("Api:Keys:0:NextKeyHash and Api:Keys:1:KeyHash are the same key; every key must be its own.", error.Message);
        Assert.DoesNotContain(shared, error.Message);
    }

    private Task<CareTwinApiHost> StartAsync(string? keysFile = null) =>
        CareTwinApiHost.StartInMemoryAsync(new Dictionary<string, string?> { ["Api:KeysFile"] = keysFile ?? KeysFile });

    private List<LogEntry> Errors() => [.. _host.Logs.Entries.Where(e => e.Level == LogLevel.Error && e.Message.StartsWith("API keys not reloaded", StringComparison.Ordinal))];

    private static string Fingerprint(string key) => ApiKey.Fingerprint(ApiKey.Hash(key));

    private static object Entry(string keyHash, string? nextKeyHash = null, string[]? services = null, bool managesJourneys = true, string system = Rotating) => new
    {
        system,
        displayName = "Rotating EPR (test)",
        keyHash,
        nextKeyHash,
        services = services ?? [CareTwinApiHost.Ward],
        managesJourneys,
    };

    private static string Json(params object[] keys) => JsonSerializer.Serialize(new { keys });

    private void WriteKeys(params object[] keys) => Write(Json(keys));

    /// <summary>As an operator's tool should: a whole new file moved into place, so no check reads half of it.</summary>
    private void Write(string content)
    {
        var temporary = KeysFile + ".new";
        File.WriteAllText(temporary, content);
        File.Move(temporary, KeysFile, overwrite: true);
    }
}
