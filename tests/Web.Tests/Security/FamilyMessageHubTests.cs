using System.Text.Json;
using CareTwin.Grains.Access;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Family;
using CareTwin.Testing;
using CareTwin.Web.Tests.Infrastructure;

namespace CareTwin.Web.Tests.Security;

/// <summary>
/// Family messages over the hub: the daily caps answer the family in their own words, and older messages are read
/// page by page through the access gate, audited, as the views they belong to.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class FamilyMessageHubTests(BrowserSite browser)
{
    private CareTwinSite Site => browser.Site;

    private static string[] Texts(JsonElement page, string property = "messages") =>
        [.. page.GetProperty(property).EnumerateArray().Select(m => m.GetProperty("text").GetString()!)];

    private static string[] Notes(int from, int to) => [.. Enumerable.Range(from, to - from + 1).Reverse().Select(i => $"Note {i}")];

    [Fact]
    public async Task The_twenty_first_note_of_the_day_is_refused_in_words_for_the_family_and_a_repeat_is_still_a_repeat()
    {
        await MidnightIsNotAboutToPassAsync();
        var childId = await Site.RegisterChildAsync("Ruby", "Shaw");
        await using var family = await RawHubClient.ConnectAsync(Site.Address, await RawHubClient.JoinAsync(Site.Address, await Site.InviteCodeAsync(childId), "Tom Shaw"));
        for (var i = 1; i <= 20; i++)
            Assert.Null((await family.InvokeAsync("AddFamilyNote", childId, new { requestId = $"note-{i}", text = $"Note {i}" })).Error);

        var (error, _) = await family.InvokeAsync("AddFamilyNote", childId, new { requestId = "note-21", text = "Note 21" });
        Assert.Equal("text: The team has had 20 messages from your family today, the most one day allows. You can send more tomorrow; for anything urgent, phone the ward.", error);
        var repeat = await family.InvokeAsync("AddFamilyNote", childId, new { requestId = "note-20", text = "Note 20" });
        Assert.True(repeat.Result!.Value.GetProperty("alreadyDone").GetBoolean());
        Assert.Null((await family.InvokeAsync("FlagConcern", childId, new { requestId = "worry-1", text = "Worried about the stairs." })).Error);

        var latest = (await family.InvokeAsync("GetFamilyMessages", childId, null, 20)).Result!.Value;
        Assert.Equal(["Worried about the stairs.", .. Notes(2, 20)], Texts(latest));
        Assert.Equal(1, latest.GetProperty("olderMessages").GetInt32());
    }

    [Fact]
    public async Task A_family_reads_older_messages_page_by_page_and_each_read_is_audited()
    {
        var childId = await Site.RegisterChildAsync("Alfie", "Ward");
        var other = await Site.RegisterChildAsync("Grace", "Ward");
        await SeedNotesAsync(childId, 18);
        await SeedNotesAsync(other, 1);
        await using var family = await RawHubClient.ConnectAsync(Site.Address, await RawHubClient.JoinAsync(Site.Address, await Site.InviteCodeAsync(childId), "Lily Ward"));
        await using var housing = await RawHubClient.ConnectAsync(Site.Address, await RawHubClient.SignInAsync(Site.Address, "housing-officer"));

        var (error, page) = await family.InvokeAsync("GetFamilyMessages", childId, "message-11", 4);
        Assert.Null(error);
        Assert.Equal(Notes(7, 10), Texts(page!.Value));
        Assert.Equal(6, page.Value.GetProperty("olderMessages").GetInt32());
        var newest = (await family.InvokeAsync("GetFamilyMessages", childId, null, 50)).Result!.Value;
        Assert.Equal((18, 0), (newest.GetProperty("messages").GetArrayLength(), newest.GetProperty("olderMessages").GetInt32()));

        Assert.Equal("before: No message 'message-99' for this child.", (await family.InvokeAsync("GetFamilyMessages", childId, "message-99", 20)).Error);
        Assert.Equal("count: count must be from 1 to 50.", (await family.InvokeAsync("GetFamilyMessages", childId, null, 51)).Error);
        Assert.Equal("count: count must be a whole number, not text.", (await family.InvokeAsync("GetFamilyMessages", childId, null, "20")).Error);
        Assert.Equal("count: count must be a whole number, not a fraction or a number that large.", (await family.InvokeAsync("GetFamilyMessages", childId, null, 2.5)).Error);
        Assert.Equal("before: before must be text, not a number.", (await family.InvokeAsync("GetFamilyMessages", childId, 7, 20)).Error);

        Assert.Contains("do not have access", (await family.InvokeAsync("GetFamilyMessages", other, null, 20)).Error);
        Assert.Contains("do not have access", (await family.InvokeAsync("GetChildFamilyMessages", childId, null, 20)).Error);
        Assert.Contains("do not have access", (await housing.InvokeAsync("GetFamilyMessages", childId, null, 20)).Error);

        var audit = await Site.AuditOfAsync(childId);
        Assert.Contains(audit, e => e is { Role: CallerRole.Family, Allowed: true, Channel: "hub", Action: AccessAction.ViewFamilyView, Detail: "GetFamilyMessages" });
        Assert.Contains(audit, e => e is { Role: CallerRole.Family, Allowed: false, Channel: "hub", Action: AccessAction.ViewChild, Detail: "GetChildFamilyMessages" });
        Assert.Contains(audit, e => e is { Role: CallerRole.AgencyStaff, Allowed: false, Action: AccessAction.ViewFamilyView, Detail: "GetFamilyMessages" });
        Assert.Contains(await Site.AuditOfAsync(other), e => e is { Role: CallerRole.Family, Allowed: false, Action: AccessAction.ViewFamilyView, Detail: "GetFamilyMessages" });
    }

    [Fact]
    public async Task Staff_read_older_family_messages_on_the_child_page_but_never_a_concern_about_a_blocker_hidden_from_them()
    {
        var childId = await Site.RegisterChildAsync("Oscar", "Reid");
        await Site.RaiseBlockerAsync(childId, BlockerCategory.HousingAdaptation, "housing.eastmarsh", "Stair lift", "A stair lift for your home.");
        await Site.RaiseBlockerAsync(childId, BlockerCategory.Equipment, "health.equipment.north-thames", "Ventilator", "Your ventilator.");
        await MidnightIsNotAboutToPassAsync();
        await SeedNotesAsync(childId, 3);
        await Site.RunAsync(childId, o => new FlagConcern(o with { Actor = Parent }, "HIDDEN-LATER worry about the ventilator", "blocker-2"));
        await SeedNotesAsync(childId, 17, from: 4);
        foreach (var worry in new[] { "Worry 1", "Worry 2", "Worry 3" }) await Site.RunAsync(childId, o => new FlagConcern(o with { Actor = Parent }, worry));
        await Site.RunAsync(childId, o => new UpdateBlockerProgress(o, "blocker-2", MarkSensitive: true));
        await using var housing = await RawHubClient.ConnectAsync(Site.Address, await RawHubClient.SignInAsync(Site.Address, "housing-officer"));
        await using var coordinator = await RawHubClient.ConnectAsync(Site.Address, await RawHubClient.SignInAsync(Site.Address, "coordinator"));

        var record = (await housing.InvokeAsync("WatchChild", childId)).Result!.Value;
        Assert.Equal(["Worry 3", "Worry 2", "Worry 1", .. Notes(4, 20)], Texts(record, "familyMessages"));
        Assert.Equal(3, record.GetProperty("olderFamilyMessages").GetInt32());
        var older = (await housing.InvokeAsync("GetChildFamilyMessages", childId, "message-5", 20)).Result!.Value;
        Assert.Equal(Notes(1, 3), Texts(older));
        Assert.Equal("Test seed", older.GetProperty("messages")[0].GetProperty("by").GetString());
        Assert.Equal("before: No message 'message-4' for this child.", (await housing.InvokeAsync("GetChildFamilyMessages", childId, "message-4", 20)).Error);

        var forCoordinator = (await coordinator.InvokeAsync("GetChildFamilyMessages", childId, "message-5", 20)).Result!.Value;
        Assert.Equal(["HIDDEN-LATER worry about the ventilator", .. Notes(1, 3)], Texts(forCoordinator));
        Assert.Contains(await Site.AuditOfAsync(childId), e => e is { CallerName: "Callum Reid", Allowed: true, Action: AccessAction.ViewChild, Detail: "GetChildFamilyMessages" });
    }

    private static readonly CareTwin.Journey.Journal.Actor Parent = new("parent.seed", "Seed parent", CareTwin.Journey.Journal.ActorRole.Family);

    private async Task SeedNotesAsync(string childId, int count, int from = 1)
    {
        for (var i = from; i < from + count; i++)
        {
            var text = $"Note {i}";
            await Site.RunAsync(childId, o => new AddFamilyNote(o, text));
        }
    }

    /// <summary>The daily count restarts at London midnight: a test that counts to the cap must not straddle it.</summary>
    internal static async Task MidnightIsNotAboutToPassAsync()
    {
        var now = DateTimeOffset.UtcNow;
        var untilMidnight = UkCalendar.StartOf(UkCalendar.DateOf(now).AddDays(1)) - now;
        if (untilMidnight < TimeSpan.FromMinutes(2)) await Task.Delay(untilMidnight + TimeSpan.FromSeconds(1));
    }
}
