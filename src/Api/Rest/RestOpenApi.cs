using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi.Any;
using Microsoft.OpenApi.Models;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace CareTwin.Api.Rest;

/// <summary>
/// The OpenAPI 3 description of the REST/JSON routes, generated from the .proto services and their
/// <c>google.api.http</c> annotations (Microsoft.AspNetCore.Grpc.Swagger on Swashbuckle), served at
/// <see cref="DocumentPath"/> without a key: like server reflection it describes only the public contract.
/// </summary>
internal static class RestOpenApi
{
    public const string DocumentName = "v1";
    public const string Route = "/openapi/{documentName}.json";
    public const string DocumentPath = "/openapi/v1.json";

    private const string KeyScheme = "apiKey";
    private const string BearerScheme = "bearer";
    private const string ProblemSchema = "Problem";

    public static void Add(IServiceCollection services)
    {
        services.AddGrpcSwagger();
        services.AddSwaggerGen(openApi =>
        {
            openApi.SwaggerDoc(DocumentName, new OpenApiInfo
            {
                Title = "CareTwin external API, REST/JSON",
                Version = "v1",
                Description = "The caretwin.v1 gRPC services as JSON over HTTP (gRPC JSON transcoding): request bodies are the request messages "
                    + "in proto3 JSON (camelCase or snake_case field names, enums by name), replies the reply messages. Watches answer "
                    + "newline-delimited JSON, one update per line. Every call carries the system's API key. See docs/external-systems.md.",
            });
            // The transcoded routes only, whatever else the host maps.
            openApi.DocInclusionPredicate((_, api) => api.ActionDescriptor.EndpointMetadata.OfType<GrpcJsonTranscodingMetadata>().Any());
            openApi.AddSecurityDefinition(KeyScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = "x-api-key",
                Description = "The system's API key.",
            });
            openApi.AddSecurityDefinition(BearerScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "The same key as 'authorization: Bearer <key>'.",
            });
            // Either scheme: separate requirements are alternatives.
            openApi.AddSecurityRequirement(Requirement(KeyScheme));
            openApi.AddSecurityRequirement(Requirement(BearerScheme));
            openApi.OperationFilter<RestResponses>();
            var comments = Path.Combine(AppContext.BaseDirectory, typeof(RestOpenApi).Assembly.GetName().Name + ".xml");
            if (File.Exists(comments))
            {
                openApi.IncludeXmlComments(comments);
                openApi.IncludeGrpcXmlComments(comments, includeControllerXmlComments: true);
            }
        });
    }

    private static OpenApiSecurityRequirement Requirement(string scheme) => new()
    {
        [new OpenApiSecurityScheme { Reference = new OpenApiReference { Type = ReferenceType.SecurityScheme, Id = scheme } }] = [],
    };

    /// <summary>
    /// Failures as CareTwin answers them (problem details, not transcoding's google.rpc.Status), and watches as the
    /// stream of lines they are.
    /// </summary>
    private sealed class RestResponses : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            if (!context.SchemaRepository.Schemas.ContainsKey(ProblemSchema))
                context.SchemaRepository.AddDefinition(ProblemSchema, Problem());
            operation.Responses["default"] = new OpenApiResponse
            {
                Description = "The call failed: an RFC 9457 problem with the HTTP status for its gRPC status (400 INVALID_ARGUMENT and "
                    + "FAILED_PRECONDITION, 401 UNAUTHENTICATED, 403 PERMISSION_DENIED, 404 NOT_FOUND, 409 ABORTED, 429 RESOURCE_EXHAUSTED, "
                    + "503 UNAVAILABLE, 500 INTERNAL).",
                Content =
                {
                    ["application/problem+json"] = new OpenApiMediaType
                    {
                        Schema = new OpenApiSchema { Reference = new OpenApiReference { Type = ReferenceType.Schema, Id = ProblemSchema } },
                    },
                },
            };

            var rest = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<GrpcJsonTranscodingMetadata>().FirstOrDefault();
            if (rest?.MethodDescriptor.IsServerStreaming == true && operation.Responses.TryGetValue("200", out var ok))
                ok.Description = "Newline-delimited JSON: one update per line, a snapshot first, for as long as the connection stays open. "
                    + "If the watch fails after it started, its last line is a google.rpc.Status ({\"code\":14,\"message\":...}).";
        }

        private static OpenApiSchema Problem() => new()
        {
            Type = "object",
            Description = "RFC 9457 problem details, with the gRPC status and the request field at fault.",
            Properties =
            {
                ["type"] = new OpenApiSchema { Type = "string", Example = new OpenApiString("about:blank") },
                ["title"] = new OpenApiSchema { Type = "string", Description = "The HTTP status's reason phrase." },
                ["status"] = new OpenApiSchema { Type = "integer", Format = "int32", Description = "The HTTP status." },
                ["detail"] = new OpenApiSchema { Type = "string", Description = "What is wrong, for a person: the gRPC status message." },
                ["instance"] = new OpenApiSchema { Type = "string", Description = "The request path." },
                ["grpcStatus"] = new OpenApiSchema { Type = "string", Description = "The gRPC status name, as the same call over gRPC ends.", Example = new OpenApiString("INVALID_ARGUMENT") },
                ["field"] = new OpenApiSchema { Type = "string", Description = "The request field at fault (snake_case path, as in the .proto), when one is.", Example = new OpenApiString("nhs_number") },
            },
            Required = new HashSet<string> { "type", "title", "status", "detail", "grpcStatus" },
        };
    }
}
