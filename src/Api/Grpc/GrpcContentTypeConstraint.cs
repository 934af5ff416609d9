using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CareTwin.Api.Grpc;

/// <summary>
/// Lets the catch-all UNIMPLEMENTED route match only gRPC requests, so it never shadows a web
/// route of the same shape on a shared port.
/// </summary>
internal sealed class GrpcContentTypeConstraint : IRouteConstraint
{
    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
        routeDirection == RouteDirection.IncomingRequest && GrpcProtocol.IsGrpcContentType(httpContext?.Request.ContentType);
}
