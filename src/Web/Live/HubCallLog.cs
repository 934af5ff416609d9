using CareTwin.Grains.Cluster;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;

namespace CareTwin.Web.Live;

/// <summary>
/// Logs how hub calls fail. A refusal (bad input, no access) is the user's mistake, not the host's: one
/// information line naming the method and reason. A node of the cluster dying or leaving is expected and passes
/// within seconds: the caller is told to try again (<see cref="TryAgain"/>, which a page's live view does by itself),
/// with a warning. Anything else is an error with its exception. SignalR's own dispatcher would log every refusal as
/// an error with a stack trace, so its category is turned off where this is added.
/// </summary>
public sealed partial class HubCallLog(ILogger<HubCallLog> logger) : IHubFilter
{
    public const string DispatcherCategory = "Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher";

    /// <summary>The reason a page recognises (like a field name, before the colon) to read the view again shortly.</summary>
    public const string TryAgain = "try-again";

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocationContext);
        }
        catch (HubException refused)
        {
            Refused(invocationContext.HubMethodName, refused.Message);
            throw;
        }
        catch (Exception lost) when (NodeLoss.Caused(lost) || lost is TimeoutException)
        {
            NodeLost(invocationContext.HubMethodName, lost.GetType().Name);
            throw new HubException($"{TryAgain}: CareTwin is moving this work to another of its servers; try again in a moment.");
        }
        catch (Exception failed) when (failed is not OperationCanceledException)
        {
            Failed(invocationContext.HubMethodName, failed);
            throw;
        }
    }

    [LoggerMessage(LogLevel.Information, "Hub call {Method} refused: {Reason}")]
    private partial void Refused(string method, string reason);

    [LoggerMessage(LogLevel.Warning, "Hub call {Method} met a node of the cluster leaving ({Failure}); the caller was told to try again")]
    private partial void NodeLost(string method, string failure);

    [LoggerMessage(LogLevel.Error, "Hub call {Method} failed")]
    private partial void Failed(string method, Exception exception);
}
