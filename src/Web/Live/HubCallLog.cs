using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;

namespace CareTwin.Web.Live;

/// <summary>
/// Logs how hub calls fail. A refusal (bad input, no access) is the user's mistake, not the host's: one
/// information line naming the method and reason. Anything else is an error with its exception. SignalR's own
/// dispatcher would log every refusal as an error with a stack trace, so its category is turned off where this is added.
/// </summary>
public sealed partial class HubCallLog(ILogger<HubCallLog> logger) : IHubFilter
{
    public const string DispatcherCategory = "Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher";

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
        catch (Exception failed) when (failed is not OperationCanceledException)
        {
            Failed(invocationContext.HubMethodName, failed);
            throw;
        }
    }

    [LoggerMessage(LogLevel.Information, "Hub call {Method} refused: {Reason}")]
    private partial void Refused(string method, string reason);

    [LoggerMessage(LogLevel.Error, "Hub call {Method} failed")]
    private partial void Failed(string method, Exception exception);
}
