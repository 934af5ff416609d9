namespace CareTwin.Journey.Family;

/// <summary>
/// Sentences the family reads about work they cannot see, worded to stay true without revealing what is hidden:
/// a page must never say nothing is waiting while a sensitive blocker is.
/// </summary>
public static class FamilyWording
{
    /// <summary>While a sensitive blocker is active: that work is going on, never what, whose or how long.</summary>
    public static string WorkNotListed(string childName) =>
        $"Some of the work for {childName} is not listed on this page. Your care coordinator can tell you more about it.";

    /// <summary>Only when nothing at all is active, visible or not.</summary>
    public const string NothingWaiting = "Nothing is waiting on anyone at the moment.";
}
