using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace CareTwin.Api.Grpc;

public static class GrpcEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps every method of every registered <see cref="IGrpcService"/> to <c>POST /package.Service/Method</c>,
    /// plus a catch-all that answers other gRPC requests with UNIMPLEMENTED. Call once.
    /// </summary>
    /// <returns>A builder for conventions on all gRPC endpoints (e.g. RequireHost).</returns>
    public static IEndpointConventionBuilder MapGrpcServices(this IEndpointRouteBuilder endpoints)
    {
        var services = endpoints.ServiceProvider;
        var registry = services.GetRequiredService<GrpcMethodRegistry>();
        registry.Bind(services.GetServices<IGrpcService>());
        var processor = services.GetRequiredService<GrpcCallProcessor>();

        var group = endpoints.MapGroup("");
        foreach (var method in registry.Methods)
        {
            group.MapPost(method.Path, (RequestDelegate)(http => processor.ProcessAsync(http, method)))
                .WithDisplayName($"gRPC {method.Path}");
        }

        var unimplemented = RoutePatternFactory.Parse(
            "/{service}/{method}",
            defaults: null,
            parameterPolicies: new RouteValueDictionary { ["service"] = new GrpcContentTypeConstraint() });
        group.Map(unimplemented, http => processor.ProcessAsync(http, method: null))
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Post]))
            .WithDisplayName("gRPC unimplemented");

        return group;
    }
}
