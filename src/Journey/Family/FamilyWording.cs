using CareTwin.Journey.Calendar;

namespace CareTwin.Journey.Family;

/// <summary>
/// Sentences the family reads about work they cannot see, worded to stay true without revealing what is hidden:
/// a page must never say nothing is waiting while a sensitive blocker is.
/// </summary>
public static class FamilyWording
{
    /// <summary>While a sensitive blocker is active: that work is going on, never what, whose or how long.</summary>
    /// <summary>
    /// When the child is likely to be ready, in plain words, and what will probably take longest (its family text, or
    /// its category's explanation, and who is doing it); <paramref name="longest"/> is null when that is sensitive.
    /// </summary>
    public static string LikelyReady(string childName, DateOnly from, DateOnly by, (string What, string Who)? longest) =>
        $"From how long things like this usually take, we think {childName} is likely to be ready {Wording.DayRange.Describe(from, by)}."
        + (longest is { } l ? $" What will probably take longest: {l.What.TrimEnd('.', ' ')} ({l.Who})." : "");

    public static string WorkNotListed(string childName) =>
        $"Some of the work for {childName} is not listed on this page. Your care coordinator can tell you more about it.";

    /// <summary>Only when nothing at all is active, visible or not.</summary>
    public const string NothingWaiting = "Nothing is waiting on anyone at the moment.";

    /// <summary>
    /// Where the family's concern has got to, as they read it under their message ("Read by the team on 3 June 2025");
    /// null for a note. Who answered is named, as people are named elsewhere on the family's page.
    /// </summary>
    public static string? ConcernProgress(FamilyMessage message) => message.Status switch
    {
        ConcernStatus.Open => "Sent to the team. Not read yet.",
        ConcernStatus.Read => $"Read by the team on {Day(message.Read!.At)}.",
        ConcernStatus.Answered => $"Read by the team. Answered by {message.Answer!.By.DisplayName} on {Day(message.Answer.At)}.",
        ConcernStatus.Closed => message.Answer is { } answer
            ? $"Answered by {answer.By.DisplayName} on {Day(answer.At)}. Closed by the team on {Day(message.Closed!.At)}."
            : $"Read by the team. Closed on {Day(message.Closed!.At)}.",
        _ => null,
    };

    /// <summary>How the family travels, as their form offers it.</summary>
    public static string Travel(TravelMode mode) => mode switch
    {
        TravelMode.Car => "By car",
        TravelMode.PublicTransport => "By bus or train",
        TravelMode.Taxi => "By taxi",
        TravelMode.Walking => "On foot",
        TravelMode.Cycling => "By bike",
        TravelMode.PatientTransport => "Hospital or patient transport",
        _ => "Another way",
    };

    private static string Day(DateTimeOffset at) => UkCalendar.Describe(UkCalendar.DateOf(at));
}
