using CareTwin.Testing;

namespace CareTwin.Silo.Tests.Listeners;

/// <summary>Settings the host cannot listen or serve with stop it at start, with one line naming the setting.</summary>
public sealed class ListenerStartupTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private readonly string _data = ScratchDirectory.Create("caretwin-listener-start-");

    [Fact]
    public async Task A_listen_address_that_is_not_an_ip_stops_the_host_naming_the_setting()
    {
        await using var silo = SiloProcess.Start(SiloProcess.BesideTests, _data, new Dictionary<string, string> { ["Listeners__Address"] = "example.invalid" });

        Assert.Equal(1, await silo.WaitForExitAsync(Limit));
        Assert.Equal("CareTwin could not start: Listeners:Address 'example.invalid' is neither an IP address nor '*'.", OneLine(silo));
    }

    [Theory]
    [InlineData("Api__MaxMessageBytes", "1023", "MaxMessageBytes")]
    [InlineData("Api__Keys__0__KeyHash", "ctk_a-key-not-its-hash", "Api:Keys:0:KeyHash")]
    [InlineData("Api__KeysFile", "/nonexistent/caretwin/api-keys.json", "Api:KeysFile: /nonexistent/caretwin/api-keys.json does not exist")]
    public async Task Api_settings_the_api_cannot_serve_with_stop_the_host_naming_the_setting(string variable, string value, string named)
    {
        await using var silo = SiloProcess.Start(SiloProcess.BesideTests, _data, new Dictionary<string, string> { [variable] = value });

        Assert.Equal(1, await silo.WaitForExitAsync(Limit));
        var line = OneLine(silo);
        Assert.StartsWith("CareTwin could not start: ", line);
        Assert.Contains(named, line);
        Assert.DoesNotContain(silo.Output, l => l.Contains("ctk_", StringComparison.Ordinal));
    }

    public void Dispose() => ScratchDirectory.Remove(_data);

    /// <summary>What the operator reads: one line, and no stack trace.</summary>
    private static string OneLine(SiloProcess silo)
    {
        Assert.DoesNotContain(silo.Output, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        return Assert.Single(silo.Output, l => l.Contains("could not start", StringComparison.Ordinal));
    }
}
