using CareTwin.Journey.Decisions;
using CareTwin.Journey.Family;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Projections;
using static CareTwin.Journey.Tests.Model.ModelFixtures;

namespace CareTwin.Journey.Tests.Model;

/// <summary>A family's concern, from flagged to read, answered and closed by the team.</summary>
public class ConcernTests
{
    private static readonly Actor Clinician = new("nurse-1", "Tom Evans", ActorRole.Clinician);
    private static readonly Actor Ladder = Actor.EscalationLadder;

    /// <summary>A registered child whose family flagged "message-1" (a concern) on 2 June 2025 at 09:00.</summary>
    private static JourneyDriver Flagged(string text = "Nobody has called about the flat.")
    {
        var driver = new JourneyDriver().Registered();
        driver.Do<FamilyConcernFlagged>(o => new FlagConcern(o, text), Parent);
        return driver;
    }

    private static FamilyMessageView FamilySees(JourneyDriver driver, string messageId = "message-1") =>
        FamilyViewProjection.Build(driver.State, driver.Services, driver.Now)!.OurMessages.Single(m => m.MessageId == messageId);

    [Fact]
    public void The_team_reads_answers_and_closes_a_concern_and_the_family_sees_each_step_in_plain_words()
    {
        var driver = Flagged();
        Assert.Equal((ConcernStatus.Open, "Sent to the team. Not read yet."), (FamilySees(driver).Status, FamilySees(driver).Progress));

        driver.Now = London(2025, 6, 3, 11);
        driver.Do<ConcernAcknowledged>(o => new AcknowledgeConcern(o, "message-1"), Coordinator);
        var read = FamilySees(driver);
        Assert.Equal((ConcernStatus.Read, "Read by the team on 3 June 2025.", London(2025, 6, 3, 11)), (read.Status, read.Progress, read.ReadAt));
        Assert.Null(read.Answer);

        driver.Now = London(2025, 6, 4, 15);
        var answered = driver.Do<ConcernAnswered>(o => new AnswerConcern(o, "message-1", "  Callum from housing will ring you on Friday.  "), Clinician);
        Assert.Equal("Callum from housing will ring you on Friday.", answered.Text);
        var answer = FamilySees(driver);
        Assert.Equal((ConcernStatus.Answered, "Read by the team. Answered by Tom Evans on 4 June 2025."), (answer.Status, answer.Progress));
        Assert.Equal(("Callum from housing will ring you on Friday.", "Tom Evans", London(2025, 6, 4, 15)), (answer.Answer, answer.AnsweredBy, answer.AnsweredAt));
        Assert.Equal(London(2025, 6, 3, 11), answer.ReadAt); // still first read on the 3rd

        driver.Now = London(2025, 6, 9, 9);
        driver.Do<ConcernClosed>(o => new CloseConcern(o, "message-1"), Coordinator);
        var closed = FamilySees(driver);
        Assert.Equal(ConcernStatus.Closed, closed.Status);
        Assert.Equal("Answered by Tom Evans on 4 June 2025. Closed by the team on 9 June 2025.", closed.Progress);
        Assert.Equal("Callum from housing will ring you on Friday.", closed.Answer); // the answer stays for the family to read

        // The twin keeps who did each step and when.
        var concern = driver.State.FindConcern("message-1")!;
        Assert.Equal((Coordinator, Clinician, Coordinator), (concern.Read!.By, concern.Answer!.By, concern.Closed!.By));
    }

    [Fact]
    public void Answering_without_reading_first_counts_as_read_and_a_later_answer_replaces_the_earlier_one()
    {
        var driver = Flagged();
        driver.Now = London(2025, 6, 2, 12);
        driver.Do(o => new AnswerConcern(o, "message-1", "We are looking into it."), Coordinator);
        driver.Now = London(2025, 6, 5, 12);
        driver.Do(o => new AnswerConcern(o, "message-1", "Housing will ring you on Friday."), HousingOfficer);

        var concern = driver.State.FindConcern("message-1")!;
        Assert.Equal((London(2025, 6, 2, 12), Coordinator), (concern.Read!.At, concern.Read.By));
        Assert.Equal(("Housing will ring you on Friday.", HousingOfficer), (concern.Answer!.Text, concern.Answer.By));
        Assert.Equal(2, driver.Journal.OfType<ConcernAnswered>().Count()); // the earlier answer stays in the journal
    }

    [Fact]
    public void A_concern_can_be_closed_without_a_written_answer_and_the_family_is_told_it_was_read()
    {
        var driver = Flagged();
        driver.Now = London(2025, 6, 6, 16);
        driver.Do(o => new CloseConcern(o, "message-1"), Coordinator); // e.g. sorted out on the phone

        Assert.Equal("Read by the team. Closed on 6 June 2025.", FamilySees(driver).Progress);
        Assert.Equal(London(2025, 6, 6, 16), driver.State.FindConcern("message-1")!.Read!.At);
    }

    [Fact]
    public void A_blank_answer_is_refused_in_the_words_of_the_form()
    {
        var driver = Flagged();
        foreach (var blank in new[] { "", "   ", "\n" })
            Assert.Equal("Enter your answer to the family.", driver.Refuse(o => new AnswerConcern(o, "message-1", blank), RefusalKind.InvalidArgument, "text", Coordinator).Message);
        driver.Refuse(o => new AnswerConcern(o, "message-1", new string('a', 1_001)), RefusalKind.InvalidArgument, "text", Coordinator);
        driver.Refuse(o => new AnswerConcern(o, "message-1", "Ring \u202Eus"), RefusalKind.InvalidArgument, "text", Coordinator);
    }

    [Fact]
    public void Only_the_team_reads_answers_or_closes_a_concern_never_the_family_that_raised_it()
    {
        var driver = Flagged();
        Assert.Equal("Only the team can mark a family's concern as read.",
            driver.Refuse(o => new AcknowledgeConcern(o, "message-1"), RefusalKind.FailedPrecondition, "origin.actor.role", Parent).Message);
        Assert.Equal("Only the team can answer a family's concern.",
            driver.Refuse(o => new AnswerConcern(o, "message-1", "Sorted, thanks."), RefusalKind.FailedPrecondition, "origin.actor.role", Parent).Message);
        Assert.Equal("Only the team can close a family's concern.",
            driver.Refuse(o => new CloseConcern(o, "message-1"), RefusalKind.FailedPrecondition, "origin.actor.role", Parent).Message);
        // Nor can CareTwin itself say a person read it.
        driver.Refuse(o => new AcknowledgeConcern(o, "message-1"), RefusalKind.FailedPrecondition, "origin.actor.role", Ladder);
    }

    [Fact]
    public void An_unknown_concern_or_a_note_is_not_found_and_a_closed_concern_cannot_be_read_answered_or_closed_again()
    {
        var driver = Flagged();
        driver.Do(o => new AddFamilyNote(o, "She loves music."), Parent); // message-2, a note
        Assert.Equal("No concern 'message-9' for this child.",
            driver.Refuse(o => new AnswerConcern(o, "message-9", "Hello"), RefusalKind.NotFound, "messageId", Coordinator).Message);
        driver.Refuse(o => new CloseConcern(o, "message-2"), RefusalKind.NotFound, "messageId", Coordinator);
        driver.Refuse(o => new AcknowledgeConcern(o, null!), RefusalKind.NotFound, "messageId", Coordinator);

        driver.Now = London(2025, 6, 3, 10);
        driver.Do(o => new AcknowledgeConcern(o, "message-1"), Coordinator);
        Assert.Equal("The team already read this concern: Priya Shah, 3 June 2025 10:00.",
            driver.Refuse(o => new AcknowledgeConcern(o, "message-1"), RefusalKind.FailedPrecondition, "messageId", Clinician).Message);

        driver.Now = London(2025, 6, 4, 10);
        driver.Do(o => new CloseConcern(o, "message-1"), Coordinator);
        var closedTwice = driver.Refuse(o => new CloseConcern(o, "message-1"), RefusalKind.FailedPrecondition, "messageId", Coordinator);
        Assert.Equal("This concern is already closed: Priya Shah, 4 June 2025 10:00.", closedTwice.Message);
        driver.Refuse(o => new AnswerConcern(o, "message-1", "One more thing."), RefusalKind.FailedPrecondition, "messageId", Coordinator);
        driver.Refuse(o => new AcknowledgeConcern(o, "message-1"), RefusalKind.FailedPrecondition, "messageId", Coordinator);
    }

    [Fact]
    public void The_board_counts_only_concerns_not_yet_closed()
    {
        var driver = Flagged("Worry one");
        driver.Do(o => new FlagConcern(o, "Worry two"), Parent);
        driver.Do(o => new FlagConcern(o, "Worry three"), Parent);
        driver.Do(o => new AddFamilyNote(o, "A note is not a concern."), Parent);
        Assert.Equal(3, BoardRowProjection.Build(driver.State, driver.Now)!.FamilyConcerns);

        driver.Do(o => new AnswerConcern(o, "message-2", "We have asked housing."), Coordinator); // answered, still open
        driver.Do(o => new CloseConcern(o, "message-1"), Coordinator);
        var row = BoardRowProjection.Build(driver.State, driver.Now)!;
        Assert.Equal(2, row.FamilyConcerns);
        Assert.Equal(2, FamilyConcerns.OpenCount(driver.State));

        driver.Do(o => new CloseConcern(o, "message-2"), Coordinator);
        driver.Do(o => new CloseConcern(o, "message-3"), Coordinator);
        Assert.Equal(0, BoardRowProjection.Build(driver.State, driver.Now)!.FamilyConcerns);
    }

    [Fact]
    public void Unanswered_concerns_older_than_the_given_age_are_listed_oldest_first_for_the_board_and_the_MDT()
    {
        // Flagged: message-1 Mon 2 June 09:00, message-2 Tue 3 June 09:00, message-3 Thu 5 June 09:00.
        var driver = Flagged("Monday's worry");
        driver.Now = London(2025, 6, 3, 9);
        driver.Do(o => new FlagConcern(o, "Tuesday's worry"), Parent);
        driver.Now = London(2025, 6, 5, 9);
        driver.Do(o => new FlagConcern(o, "Thursday's worry"), Parent);
        driver.Do(o => new AcknowledgeConcern(o, "message-2"), Coordinator); // read is not answered

        // Now Friday 6 June 09:00; older than 48 hours: Monday's (96 h) and Tuesday's (72 h), not Thursday's (24 h).
        var friday = London(2025, 6, 6, 9);
        var age = TimeSpan.FromHours(48);
        Assert.Equal(["message-1", "message-2"], FamilyConcerns.UnansweredOlderThan(driver.State, friday, age).Select(m => m.Id));
        // Exactly 72 hours old is not older than 72 hours.
        Assert.Equal(["message-1"], FamilyConcerns.UnansweredOlderThan(driver.State, friday, TimeSpan.FromHours(72)).Select(m => m.Id));

        driver.Do(o => new AnswerConcern(o, "message-1", "Housing will ring you."), Coordinator);
        driver.Do(o => new CloseConcern(o, "message-2"), Coordinator);
        Assert.Empty(FamilyConcerns.UnansweredOlderThan(driver.State, friday, age));
        Assert.Empty(FamilyConcerns.UnansweredOlderThan(driver.State, friday.AddDays(1), age)); // Thursday's is exactly 48 h old on Saturday 09:00
        Assert.Equal("message-3", Assert.Single(FamilyConcerns.UnansweredOlderThan(driver.State, friday.AddDays(1).AddMinutes(1), age)).Id);

        // The board row carries when the longest-waiting one was flagged, so a board can apply its own age.
        Assert.Equal(London(2025, 6, 5, 9), BoardRowProjection.Build(driver.State, friday)!.OldestUnansweredConcern);
        driver.Do(o => new CloseConcern(o, "message-3"), Coordinator);
        Assert.Null(BoardRowProjection.Build(driver.State, friday)!.OldestUnansweredConcern);
    }
}
