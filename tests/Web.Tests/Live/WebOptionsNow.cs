using CareTwin.Web.Hosting;
using Microsoft.Extensions.Options;

namespace CareTwin.Web.Tests.Live;

/// <summary>The web settings as a reloaded configuration gives them: set <see cref="CurrentValue"/> to change them.</summary>
internal sealed class WebOptionsNow : IOptionsMonitor<WebOptions>
{
    public WebOptions CurrentValue { get; set; } = new();

    public WebOptions Get(string? name) => CurrentValue;

    public IDisposable? OnChange(Action<WebOptions, string?> listener) => null;
}
