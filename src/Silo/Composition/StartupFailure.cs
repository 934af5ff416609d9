namespace CareTwin.Silo.Composition;

/// <summary>Turns a start-up exception into the one line an operator needs (the innermost meaningful message).</summary>
internal static class StartupFailure
{
    public static string Describe(Exception exception)
    {
        var messages = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is not AggregateException && !messages.Any(m => m.Contains(e.Message, StringComparison.Ordinal))) messages.Add(e.Message);
        return string.Join(" — ", messages.Take(2)).ReplaceLineEndings(" ");
    }
}
