using CareTwin.Journey.Decisions;
using CareTwin.Journey.Family;
using CareTwin.Journey.Projections;
using CareTwin.Journey.Transitions;
using static CareTwin.Journey.Tests.Model.ModelFixtures;

namespace CareTwin.Journey.Tests.Model;

/// <summary>The family view carries only the latest messages; older ones are read page by page.</summary>
public class FamilyMessagePageTests
{
    /// <summary>A child whose family sent <paramref name="notes"/> notes, "Note 1" first, two hours apart (so within the daily cap).</summary>
    private static JourneyDriver WithNotes(int notes)
    {
        var driver = new JourneyDriver().InHospital(HospitalDischargeStages.MedicallyOptimised);
        for (var i = 1; i <= notes; i++)
        {
            var text = $"Note {i}";
            driver.Do(o => new AddFamilyNote(o, text), Parent);
            driver.Now = driver.Now.AddHours(2);
        }
        return driver;
    }

    private static IEnumerable<string> Texts(IEnumerable<FamilyMessageView> messages) => messages.Select(m => m.Text);

    private static IEnumerable<string> Notes(int from, int to) => Enumerable.Range(from, to - from + 1).Reverse().Select(i => $"Note {i}");

    [Fact]
    public void The_family_view_carries_the_latest_twenty_messages_newest_first_and_counts_the_rest()
    {
        var driver = WithNotes(45);
        var view = FamilyViewProjection.Build(driver.State, driver.Services, driver.Now)!;

        Assert.Equal(Notes(26, 45), Texts(view.OurMessages));
        Assert.Equal(25, view.OlderMessages);
        Assert.Equal("message-45", view.OurMessages[0].MessageId);
    }

    [Fact]
    public void Older_messages_are_read_page_by_page_before_the_oldest_one_shown()
    {
        var driver = WithNotes(45);
        var view = FamilyViewProjection.Build(driver.State, driver.Services, driver.Now)!;

        var (second, refused) = FamilyViewProjection.Messages(driver.State, view.OurMessages[^1].MessageId, 20);
        Assert.Null(refused);
        Assert.Equal(Notes(6, 25), Texts(second!.Messages));
        Assert.Equal(5, second.OlderMessages);

        // New messages since do not move the page: it is found by the message it comes before.
        driver.Do(o => new AddFamilyNote(o, "Note 46"), Parent);
        var (last, _) = FamilyViewProjection.Messages(driver.State, second.Messages[^1].MessageId, 20);
        Assert.Equal(Notes(1, 5), Texts(last!.Messages));
        Assert.Equal(0, last.OlderMessages);

        var (first, _) = FamilyViewProjection.Messages(driver.State, "message-1", 20);
        Assert.Equal((0, 0), (first!.Messages.Length, first.OlderMessages));
        var (newest, _) = FamilyViewProjection.Messages(driver.State, null, 3);
        Assert.Equal(Notes(44, 46), Texts(newest!.Messages));
        Assert.Equal(43, newest.OlderMessages);
    }

    [Theory]
    [InlineData("message-99", 20, RefusalKind.NotFound, "before", "No message 'message-99' for this child.")]
    [InlineData(null, 0, RefusalKind.InvalidArgument, "count", "count must be from 1 to 50.")]
    [InlineData("message-3", 51, RefusalKind.InvalidArgument, "count", "count must be from 1 to 50.")]
    public void A_page_of_an_unknown_message_or_of_a_bad_size_is_refused_naming_the_field(string? before, int count, RefusalKind kind, string field, string message)
    {
        var (page, refusal) = FamilyViewProjection.Messages(WithNotes(5).State, before, count);
        Assert.Null(page);
        Assert.Equal(new Refusal(kind, field, message), refusal);
    }

    [Fact]
    public void A_child_with_few_messages_has_none_older()
    {
        var view = FamilyViewProjection.Build(WithNotes(3).State, Agencies, Start.AddDays(1))!;
        Assert.Equal(Notes(1, 3), Texts(view.OurMessages));
        Assert.Equal(0, view.OlderMessages);
    }

    [Fact]
    public void A_new_message_changes_what_the_family_sees_even_with_many_messages_already()
    {
        var driver = WithNotes(30);
        var before = driver.State;
        driver.Do(o => new FlagConcern(o, "Worried about the stairs."), Parent);

        var changed = FamilyViewProjection.Changed(before, driver.State, driver.Services, driver.Now);
        Assert.NotNull(changed);
        Assert.Equal(("Worried about the stairs.", FamilyMessageKind.Concern), (changed.OurMessages[0].Text, changed.OurMessages[0].Kind));
        Assert.Equal((20, 11), (changed.OurMessages.Length, changed.OlderMessages));
    }

    [Fact]
    public void Pages_of_a_filtered_list_are_found_in_that_list_only()
    {
        var messages = WithNotes(6).State.FamilyMessages.Where(m => m.Id != "message-4").ToList();
        var (page, _) = FamilyMessagePages.Before(messages, "message-5", 2);
        Assert.Equal(["message-3", "message-2"], page!.Messages.Select(m => m.Id));
        Assert.Equal(1, page.Older);
        Assert.Equal("before", FamilyMessagePages.Before(messages, "message-4", 2).Refusal!.Field);
    }
}
