using CareTwin.Api.Authentication;
using CareTwin.Api.Contracts.V1;
using Grpc.Core;
using CareTwin.Api.Tests.Infrastructure;
using CareTwin.Grains.Access;
using Grpc.Health.V1;
using Microsoft.Extensions.Options;

namespace CareTwin.Api.Tests;

/// <summary>API keys: where they are sent, what an unknown one gets, and that no key is ever logged.</summary>
public sealed class CareTwinApiAuthenticationTests : IAsyncLifetime
{
    private CareTwinApiHost _host = null!;

    public async Task InitializeAsync() => _host = await CareTwinApiHost.StartInMemoryAsync();

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    [Fact]
    public async Task A_call_without_a_key_is_unauthenticated_and_audited_against_the_child_it_named()
    {
        using var anonymous = _host.Client(key: null);

        var result = await anonymous.GetJourneyAsync("auth-anon");

        Assert.Equal(StatusCode.Unauthenticated, result.Status);
        Assert.Equal("No API key: send it in the 'x-api-key' metadata header (or 'authorization: Bearer <key>').", result.Message);
        Assert.Empty(await _host.AuditOfAsync("child/auth-anon")); // counted per address and window, not per child
        var entry = Assert.Single(await _host.UnidentifiedAttemptsOnAsync("child/auth-anon"));
        Assert.Equal((CallerRole.Anonymous, AccessAction.ViewChild, false, "grpc"), (entry.Role, entry.Action, entry.Allowed, entry.Channel));
    }

    [Fact]
    public async Task An_unknown_key_is_unauthenticated_and_never_logged()
    {
        var wrongKey = ApiKey.New();
        using var stranger = _host.Client(wrongKey);

        var result = await stranger.ChangeAsync("RegisterChild", Requests.Register("auth-wrong"));

        Assert.Equal(StatusCode.Unauthenticated, result.Status);
        Assert.Equal("The API key is not one CareTwin knows (revoked, mistyped, or for another installation).", result.Message);
        Assert.DoesNotContain(_host.Logs.Entries, e => e.Message.Contains(wrongKey, StringComparison.Ordinal));
        Assert.DoesNotContain(_host.Logs.Entries, e => _host.Keys.Values.Any(k => e.Message.Contains(k, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_key_may_come_as_a_bearer_token_but_two_different_keys_or_another_scheme_are_refused()
    {
        using var client = _host.Client(key: null);
        async Task<StatusCode> GetAsync(params (string Name, string Value)[] headers)
        {
            var metadata = new Metadata();
            foreach (var (name, value) in headers)
                metadata.Add(name, value);
            return (await client.CallAsync(CareTwinClient.Journeys + "GetJourney", new GetJourneyRequest { ChildId = "auth-bearer" }, Contracts.V1.Journey.Parser, metadata)).Status;
        }

        Assert.Equal(StatusCode.NotFound, await GetAsync(("authorization", $"Bearer {_host.EprKey}"))); // authenticated; the child is unknown
        Assert.Equal(StatusCode.NotFound, await GetAsync(("x-api-key", _host.EprKey), ("authorization", $"Bearer {_host.EprKey}"))); // the same key twice is fine
        Assert.Equal(StatusCode.Unauthenticated, await GetAsync(("x-api-key", _host.EprKey), ("authorization", $"Bearer {_host.HousingKey}")));
        Assert.Equal(StatusCode.Unauthenticated, await GetAsync(("authorization", $"Basic {_host.EprKey}")));
    }

    [Fact]
    public async Task Health_needs_no_key_and_lists_the_caretwin_services()
    {
        using var channel = _host.Channel();
        var health = new Grpc.Health.V1.Health.HealthClient(channel);
        foreach (var service in new[] { "", "caretwin.v1.Journeys", "caretwin.v1.Ingest", "caretwin.v1.Watch" })
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest { Service = service })).Status);
    }

    [Fact]
    public async Task A_key_configured_with_anything_but_a_hash_stops_the_host_from_starting_without_echoing_it()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => CareTwinApiHost.StartInMemoryAsync(new Dictionary<string, string?>
        {
            ["Api:Keys:0:KeyHash"] = "ctk_this-is-a-key-not-a-hash",
            ["Api:Keys:1:Services:0"] = "Housing",
        }));

        Assert.Contains("Api:Keys:0:KeyHash must be the key's SHA-256 as 64 hex digits", error.Message);
        Assert.Contains("Api:Keys:1:Services 'Housing' must be a service key", error.Message);
        Assert.DoesNotContain("ctk_this-is-a-key-not-a-hash", error.Message);
    }
}
