namespace CareTwin.Silo.Composition;

internal static class LoggingComposition
{
    /// <summary>
    /// One JSON object per line on stdout (journald, container logs) unless Logging:Console:FormatterName says
    /// otherwise; "simple" is friendlier at a terminal. NHS numbers never reach logs: the model masks them.
    /// </summary>
    public static void AddStructuredLogging(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole();
        if (builder.Configuration["Logging:Console:FormatterName"] is null)
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.UseUtcTimestamp = true;
            });
        // Orleans (and Polly, under its placement) log every start-up step and activation at Information.
        // Defaults only: a Logging:LogLevel:Orleans setting still wins.
        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
    }
}
