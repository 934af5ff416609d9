using CareTwin.Grains.Access;
using CareTwin.Grains.Tests.Twins;
using Microsoft.Extensions.Options;

namespace CareTwin.Grains.Tests.Access;

/// <summary>Callers nobody identified cannot multiply durable writes: one audit entry per address per window, with the count.</summary>
public sealed class UnauthenticatedAttemptsTests
{
    private static readonly Caller Nobody = Caller.Unauthenticated("Caller without a valid API key");

    [Fact]
    public async Task A_flood_from_one_address_is_one_entry_per_window_with_its_count_and_nothing_in_the_childrens_trails()
    {
        await using var host = await TwinHost.StartAsync();
        var gate = new AccessGate(host.Grains, host.Clock, Options.Create(new AccessOptions { UnauthenticatedAuditWindow = TimeSpan.FromMinutes(1) }));
        var denial = AccessDecision.Deny("Unauthenticated: no API key.");
        var grpc = new AccessChannel("grpc", "ipv4:10.1.2.3:50111");

        for (var i = 0; i < 500; i++)
            await gate.RecordAsync(Nobody, $"child/flood-{i}", AccessAction.ChangeChild, "Ingest", denial, new AccessChannel("grpc", $"ipv4:10.1.2.3:{50000 + i}"));
        await gate.RecordAsync(Nobody, "child/flood-1", AccessAction.ViewChild, null, denial, new AccessChannel("page", "10.9.9.9:61000"));
        await gate.Unauthenticated.FlushAsync();
        Assert.Equal(0, await TotalAsync(host, UnauthenticatedAttempts.Subject)); // the window is still open
        Assert.Equal(0, await TotalAsync(host, "child/flood-1"));

        host.Clock.Advance(TimeSpan.FromMinutes(1));
        await gate.RecordAsync(Nobody, "child/flood-2", AccessAction.ChangeChild, "Ingest", denial, grpc); // the next window
        await gate.Unauthenticated.FlushAsync();

        var page = await host.Grains.GetGrain<IAuditGrain>(UnauthenticatedAttempts.Subject).GetRecent(10);
        Assert.Equal(2, page.Total);
        var flood = Assert.Single(page.Entries, e => e.Origin == "10.1.2.3");
        Assert.StartsWith("500 attempts from ", flood.Detail, StringComparison.Ordinal);
        Assert.Contains("child/flood-0, child/flood-1", flood.Detail, StringComparison.Ordinal);
        Assert.EndsWith(", …", flood.Detail, StringComparison.Ordinal);
        Assert.False(flood.Allowed);
        Assert.Equal("grpc", flood.Channel);
        Assert.Equal(CallerRole.Anonymous, flood.Role);
        Assert.StartsWith("1 attempt from ", Assert.Single(page.Entries, e => e.Origin == "10.9.9.9").Detail, StringComparison.Ordinal);
        Assert.Equal(0, await TotalAsync(host, "child/flood-1"));

        await gate.Unauthenticated.FlushAsync(all: true); // as the host stops: the open window too
        Assert.Equal(3, await TotalAsync(host, UnauthenticatedAttempts.Subject));
    }

    [Theory]
    [InlineData("ipv4:10.0.0.5:53122", "10.0.0.5")]
    [InlineData("10.0.0.5:53122", "10.0.0.5")]
    [InlineData("ipv6:[::1]:5000", "::1")]
    [InlineData("[2001:db8::1]:443", "2001:db8::1")]
    [InlineData(null, "unknown")]
    public void The_caller_is_its_address_without_the_port(string? origin, string address) =>
        Assert.Equal(address, UnauthenticatedAttempts.AddressOf(origin));

    private static async Task<int> TotalAsync(TwinHost host, string subject) =>
        (await host.Grains.GetGrain<IAuditGrain>(subject).GetRecent(1)).Total;
}
