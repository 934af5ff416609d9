using System.Net;
using System.Text.Json;
using CareTwin.EndToEnd.Tests.Infrastructure;
using CareTwin.Grains.Children;
using CareTwin.Testing;

namespace CareTwin.EndToEnd.Tests.Hostile;

/// <summary>
/// What a hostile browser (or a script in its console) can send the hub: values of the wrong JSON type, control
/// characters and script in text, dates out of range, broken protocol messages and oversized ones. Each is refused
/// with an error naming the field, the child's journal is unchanged, and afterwards the host still answers its
/// health checks and the same user can carry on.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class HostileHubTests(EndToEndSite e2e) : IAsyncLifetime
{
    private CookieContainer _coordinator = null!;
    private string _childId = null!;

    public async Task InitializeAsync()
    {
        _coordinator = await RawHubClient.SignInAsync(e2e.Site.Address, "coordinator");
        _childId = await e2e.Site.RegisterChildAsync("Hostile", "Hub");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Arguments as raw JSON, after the method name; "{child}" stands for the test's child id.</summary>
    public static TheoryData<string, string, string> WrongTypes => new()
    {
        { "RaiseBlocker", """["{child}", 42]""", "input: input must be an object of the action's fields, not a number." },
        { "RaiseBlocker", """["{child}", [1, 2]]""", "input: input must be an object of the action's fields, not a list." },
        { "RaiseBlocker", """["{child}", "housing"]""", "input: input must be an object of the action's fields, not text." },
        { "RaiseBlocker", """["{child}", null]""", "input: input is required." },
        { "RaiseBlocker", """["{child}", {"requestId": "r-1", "sensitive": "yes"}]""", "sensitive: sensitive must be true or false." },
        { "RaiseBlocker", """["{child}", {"requestId": "r-1", "professionalText": {"html": "<b>"}}]""", "professionalText: What is in the way must be text." },
        { "AddFamilyNote", """["{child}", {"requestId": 7, "text": "Hello"}]""", "requestId: requestId must be text." },
        { "AddFamilyNote", """["{child}", {"text": ["a", "b"]}]""", "text: Your message must be text." },
        { "WatchChild", """[42]""", "childId: childId must be text, not a number." },
        { "WatchChild", """[{"id": "x"}]""", "childId: childId must be text, not an object." },
        { "WatchChild", """[null]""", "childId: childId is required." },
        { "WatchChild", """["../../etc/passwd"]""", "childId: childId must be 1-100 letters, digits, '-' or '_'." },
        { "WatchBoard", """[["region:north-thames"]]""", "boardKey: boardKey must be text, not a list." },
        { "WatchBoard", """["region:North Thames<script>"]""", "boardKey: boardKey must be like 'region:north-thames' or 'hospital:royal-thamesbank'." },
        { "WatchBoard", """["hospital:../../etc"]""", "boardKey: boardKey must be like 'region:north-thames' or 'hospital:royal-thamesbank'." },
        { "WatchService", """[true]""", "serviceKey: serviceKey must be text, not true or false." },
        { "RevokeInvite", """["{child}", 3]""", "inviteId: inviteId must be text, not a number." },
        { "RecordYoungPersonConsent", """["{child}", "yes"]""", "agreed: agreed must be true or false, not text." },
        { "RecordYoungPersonConsent", """["{child}", null]""", "agreed: agreed must be true or false, not nothing." },
    };

    [Theory]
    [MemberData(nameof(WrongTypes))]
    public async Task A_value_of_the_wrong_type_is_refused_naming_the_field(string method, string arguments, string error)
    {
        await RefusedAsync(method, arguments, error);
    }

    public static TheoryData<string, string, string> BadValues => new()
    {
        { "RaiseBlocker", Raise(professionalText: "Waiting\u0000for the grant"), "professionalText: What is in the way contains a control character at position 8." },
        { "RaiseBlocker", Raise(professionalText: "Ramp \u202Egnidaer"), "professionalText: What is in the way contains a control character at position 6." },
        { "RaiseBlocker", Raise(namedOwner: "Sam\nSmith"), "namedOwner: The named owner contains a control character at position 4." },
        { "RaiseBlocker", Raise(professionalText: new string('x', 2_001)), "professionalText: What is in the way is 2001 characters long; the limit is 2000." },
        { "AddFamilyNote", """["{child}", {"requestId": "n-1", "text": "Hello\u0007"}]""", "text: Your message contains a control character at position 6." },
        { "RaiseBlocker", Raise(targetDate: "9999-12-31"), "targetDate: The target date 31 December 9999 is more than 5 years ahead; give the date the work is really expected by." },
        { "RaiseBlocker", Raise(targetDate: "0001-01-01"), "targetDate: The target date must be today or later" },
        { "RaiseBlocker", Raise(targetDate: "2026-02-30"), "targetDate: Enter the target date as a real date, for example 31 12 2026" },
        { "RaiseBlocker", Raise(targetDate: "+10000-01-01"), "targetDate: Enter the target date as a real date, for example 31 12 2026" },
        { "RaiseBlocker", Raise(category: "<script>"), "category: Choose the category" },
        { "ChangeStage", """["{child}", {"requestId": "s-1", "transitionId": "transition-1", "stage": "discharged", "destination": "the moon"}]""", "destination: Choose where the child went when discharged" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public async Task A_bad_value_is_refused_naming_the_field(string method, string arguments, string error)
    {
        await RefusedAsync(method, arguments, error);
    }

    [Fact]
    public async Task Script_in_a_familys_message_is_kept_as_text_and_given_back_as_text()
    {
        const string Script = "<script>alert('family')</script><img src=x onerror=alert(1)>";
        var code = await e2e.Site.InviteCodeAsync(_childId);
        await using var family = await RawHubClient.ConnectAsync(e2e.Site.Address, await RawHubClient.JoinAsync(e2e.Site.Address, code, "Hostile Parent"));

        var (error, done) = await family.InvokeAsync("FlagConcern", _childId, new { requestId = "script-1", text = Script });
        Assert.Null(error);
        var (_, view) = await family.InvokeAsync("WatchFamily", _childId);

        var messages = (await family.InvokeAsync("GetFamilyMessages", _childId, null, 20)).Result!.Value.GetProperty("messages");
        Assert.Equal(done!.Value.GetProperty("createdId").GetString(), messages[0].GetProperty("messageId").GetString());
        Assert.Equal(Script, messages[0].GetProperty("text").GetString());
        // The page's HTML of it carries the text encoded, never as markup.
        var html = view!.Value.GetProperty("html").GetString()!;
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;script&gt;", html);
        await e2e.AssertServingAsync();
    }

    [Theory]
    [InlineData("""{"type":1,"invocationId":"1","target":"WatchChild","arguments":[""", "a message cut short")]
    [InlineData("""not json at all""", "a message that is not JSON")]
    [InlineData("""{"type":1,"invocationId":"1","target":"WatchChild","arguments":"{child}"}""", "arguments that are not a list")]
    public async Task A_broken_protocol_message_closes_only_that_connection(string message, string what)
    {
        var before = await VersionAsync();
        await using (var hub = await RawHubClient.ConnectAsync(e2e.Site.Address, _coordinator))
        {
            await hub.SendAsync(message.Replace("{child}", _childId, StringComparison.Ordinal));
            Assert.True(await hub.ClosedByServerAsync(), $"The hub closes a connection that sent {what}.");
        }

        await AssertUnchangedAndServingAsync(before);
        await using var again = await RawHubClient.ConnectAsync(e2e.Site.Address, _coordinator);
        Assert.Null((await again.InvokeAsync("WatchChild", _childId)).Error);
    }

    [Fact]
    public async Task A_message_of_an_unknown_type_changes_nothing_and_other_connections_keep_working()
    {
        var before = await VersionAsync();
        // The protocol says to ignore unknown types; ASP.NET Core's parser stops reading that connection instead,
        // which harms only the sender, so this asserts what others see, not what becomes of that connection.
        await using (var hub = await RawHubClient.ConnectAsync(e2e.Site.Address, _coordinator))
            await hub.SendAsync("""{"type":99,"target":"RaiseBlocker"}""");

        await AssertUnchangedAndServingAsync(before);
        await using var again = await RawHubClient.ConnectAsync(e2e.Site.Address, _coordinator);
        Assert.Null((await again.InvokeAsync("WatchChild", _childId)).Error);
    }

    [Fact]
    public async Task A_message_over_the_size_limit_closes_that_connection_and_changes_nothing()
    {
        var before = await VersionAsync();
        await using (var hub = await RawHubClient.ConnectAsync(e2e.Site.Address, _coordinator))
        {
            await hub.SendAsync(JsonSerializer.Serialize(new
            {
                type = 1, invocationId = "1", target = "AddFamilyNote", arguments = new object[] { _childId, new { requestId = "big", text = new string('a', 64 * 1024) } },
            }));
            Assert.True(await hub.ClosedByServerAsync());
        }

        await AssertUnchangedAndServingAsync(before);
    }

    [Fact]
    public async Task Calling_with_too_few_or_too_many_arguments_or_no_such_method_is_refused()
    {
        var before = await VersionAsync();
        await using var hub = await RawHubClient.ConnectAsync(e2e.Site.Address, _coordinator);

        Assert.Equal("Failed to invoke 'RaiseBlocker' due to an error on the server.", (await hub.InvokeAsync("RaiseBlocker", _childId)).Error);
        Assert.Equal("Failed to invoke 'WatchChild' due to an error on the server.", (await hub.InvokeAsync("WatchChild", _childId, 1)).Error);
        Assert.Equal("Method does not exist.", (await hub.InvokeAsync("OnDisconnectedAsync", (object?)null)).Error);
        await AssertUnchangedAndServingAsync(before);
        Assert.Null((await hub.InvokeAsync("WatchChild", _childId)).Error);
    }

    private async Task RefusedAsync(string method, string arguments, string error)
    {
        var before = await VersionAsync();
        await using var hub = await RawHubClient.ConnectAsync(e2e.Site.Address, _coordinator);
        var json = JsonDocument.Parse(arguments.Replace("{child}", _childId, StringComparison.Ordinal)).RootElement;

        var (refusal, result) = await hub.InvokeAsync(method, [.. json.EnumerateArray().Select(a => (object?)a)]);

        Assert.Null(result);
        Assert.StartsWith(error, refusal);
        await AssertUnchangedAndServingAsync(before);
        Assert.Null((await hub.InvokeAsync("WatchChild", _childId)).Error);
    }

    /// <summary>A blocker to raise, valid but for what the case changes.</summary>
    private static string Raise(string professionalText = "Ramp to the front door", string? namedOwner = null, string? targetDate = null, string category = "housing-adaptation") =>
        JsonSerializer.Serialize(new object?[]
        {
            "{child}",
            new
            {
                requestId = $"raise-{Guid.NewGuid():N}", transitionId = "transition-1", category, owningService = EndToEndSite.Housing, namedOwner, professionalText,
                targetDate = targetDate ?? DateTime.UtcNow.AddDays(60).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            },
        });

    private async Task<long> VersionAsync() => (await e2e.Site.Grains.GetGrain<IChildGrain>(_childId).GetJourney())!.Version;

    private async Task AssertUnchangedAndServingAsync(long before)
    {
        Assert.Equal(before, await VersionAsync());
        await e2e.AssertServingAsync();
    }
}
