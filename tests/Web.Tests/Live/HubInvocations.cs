using System.Security.Claims;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;

namespace CareTwin.Web.Tests.Live;

/// <summary>Hub calls for testing hub filters without a connection.</summary>
internal static class HubInvocations
{
    /// <summary>A call of RaiseBlocker by <paramref name="user"/> (nobody signed in by default).</summary>
    public static HubInvocationContext Of(ClaimsPrincipal? user = null) =>
        new(new Caller(user ?? new ClaimsPrincipal()), new EmptyServices(), new NoHub(), typeof(NoHub).GetMethod(nameof(NoHub.RaiseBlocker))!, []);

    private sealed class NoHub : Hub
    {
        public static void RaiseBlocker()
        {
        }
    }

    public sealed class Caller(ClaimsPrincipal user) : HubCallerContext
    {
        public override string ConnectionId => "connection-1";

        public override string? UserIdentifier => "demo.coordinator";

        public override ClaimsPrincipal? User => user;

        public bool Aborted { get; private set; }

        public override IDictionary<object, object?> Items { get; } = new Dictionary<object, object?>();

        public override IFeatureCollection Features { get; } = new FeatureCollection();

        public override CancellationToken ConnectionAborted => CancellationToken.None;

        public override void Abort() => Aborted = true;
    }

    private sealed class EmptyServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }
}
