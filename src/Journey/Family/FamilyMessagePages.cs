using System.Collections.Immutable;
using CareTwin.Journey.Decisions;

namespace CareTwin.Journey.Family;

/// <summary>Some of a child's family messages, newest first, and how many older ones there are besides.</summary>
/// <param name="Older">Messages older than the last one here, not in this page.</param>
public sealed record FamilyMessagePage(ImmutableArray<FamilyMessage> Messages, int Older);

/// <summary>
/// Reads family messages page by page, so a view need not carry every message a family ever sent. Newest first in
/// the journal's order; a page is found by the id of the message it comes before, which stays right however many
/// messages arrive in the meantime (messages are only ever added, at the end).
/// </summary>
public static class FamilyMessagePages
{
    /// <summary>How many of the latest messages a view carries; older ones are read a page at a time.</summary>
    public const int Latest = 20;

    /// <summary>The largest page one read may ask for.</summary>
    public const int LargestPage = 50;

    /// <summary>The latest <paramref name="count"/> messages.</summary>
    public static FamilyMessagePage Newest(IReadOnlyList<FamilyMessage> messages, int count)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return Take(messages, messages.Count, count);
    }

    /// <summary>
    /// Up to <paramref name="count"/> messages older than the one whose id is <paramref name="before"/> (the newest
    /// when null), or why not, naming <c>before</c> or <c>count</c>.
    /// </summary>
    public static (FamilyMessagePage? Page, Refusal? Refusal) Before(IReadOnlyList<FamilyMessage> messages, string? before, int count)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (count is < 1 or > LargestPage)
            return (null, Refusal.Invalid("count", $"count must be from 1 to {LargestPage}."));
        var end = messages.Count;
        if (before is not null)
        {
            end = IndexOf(messages, before);
            if (end < 0)
                return (null, Refusal.NotFound("before", $"No message '{before}' for this child."));
        }
        return (Take(messages, end, count), null);
    }

    private static int IndexOf(IReadOnlyList<FamilyMessage> messages, string id)
    {
        for (var i = messages.Count - 1; i >= 0; i--)
        {
            if (messages[i].Id == id)
                return i;
        }
        return -1;
    }

    private static FamilyMessagePage Take(IReadOnlyList<FamilyMessage> messages, int end, int count)
    {
        var start = Math.Max(0, end - count);
        var page = ImmutableArray.CreateBuilder<FamilyMessage>(end - start);
        for (var i = end - 1; i >= start; i--)
            page.Add(messages[i]);
        return new FamilyMessagePage(page.MoveToImmutable(), start);
    }
}
