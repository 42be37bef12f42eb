using Catalog.Api.Features.Keys;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Catalog.Api.Http;

/// <summary>
/// What the generated OpenAPI document cannot see on its own: bearer keys and the scope each operation
/// needs, the problems every keyed operation can answer with, money as exact decimals.
/// </summary>
public static class OpenApiContract
{
    public const string ProblemSchema = "Problem";

    private const string Description =
        "Prices LLM calls exactly (decimal USD) from a catalogue compiled into the service, and keeps the usage " +
        "ledger: record calls as gateways see them, list, export and summarize them. Every 4xx is a ProblemDetails " +
        "(application/problem+json) naming the field and the fix. Operations with a lock need 'Authorization: Bearer <key>' " +
        "with the scope they name (ingest, read or admin; admin may do everything).";

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer(async (document, context, cancellationToken) =>
        {
            document.Info.Title = "Catalog";
            document.Info.Description = Description;
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[ApiKeys.Scheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An API key (cat_...). The first admin key is the CATALOG_ADMIN_KEY environment variable; an admin creates the others with POST /v1/keys.",
            };
            document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
            document.Components.Schemas[ProblemSchema] = Problem();

            // The cost of ?answer=compact on POST /v1/cost/batch (no operation returns the type itself, so it is named here).
            document.Components.Schemas[nameof(Features.Cost.CostCompactResponse)] = await context.GetOrCreateSchemaAsync(typeof(Features.Cost.CostCompactResponse), null, cancellationToken);
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var policies = context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Select(a => a.Policy).OfType<string>().Distinct().ToArray();
            operation.Responses ??= [];
            if (policies.Length > 0)
            {
                var scopes = policies.Where(p => p != ApiKeys.AnyKey).ToList();
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeys.Scheme, context.Document)] = scopes }];
                Add(operation, context.Document, StatusCodes.Status401Unauthorized, "No key, or not a valid, unrevoked one.");
                Add(operation, context.Document, StatusCodes.Status403Forbidden, $"The key lacks the scope: {(scopes.Count == 0 ? "any key will do" : string.Join(", ", scopes) + " (or admin)")}.");
                Add(operation, context.Document, StatusCodes.Status429TooManyRequests, "Over the key's requests per second; retry after the Retry-After header.");
            }

            // What every reader and route answers, declared where it can happen.
            if (operation.RequestBody is not null)
            {
                Add(operation, context.Document, StatusCodes.Status400BadRequest, "The body is not valid: errors names each field and the fix.");
                Add(operation, context.Document, StatusCodes.Status413PayloadTooLarge, "The body is larger than this operation takes (README, Security limits).");
                Add(operation, context.Document, StatusCodes.Status415UnsupportedMediaType, "The body was not sent with Content-Type: application/json.");
            }

            if (context.Description.ParameterDescriptions.Any(p => p.Source == Microsoft.AspNetCore.Mvc.ModelBinding.BindingSource.Query))
            {
                Add(operation, context.Document, StatusCodes.Status400BadRequest, "A query parameter is unknown (the problem suggests the one meant) or its value is not valid.");
            }

            if (context.Description.RelativePath?.Contains('{') == true)
            {
                Add(operation, context.Document, StatusCodes.Status404NotFound, "Nothing has that id or name; the problem suggests the nearest one where there is one.");
            }

            if (Examples.TryGetValue(operation.OperationId ?? string.Empty, out var example)
                && operation.RequestBody?.Content?.TryGetValue("application/json", out var body) == true)
            {
                body.Example = System.Text.Json.Nodes.JsonNode.Parse(example);
            }

            // Every problem the service writes has the same shape: point each at it.
            foreach (var (status, response) in operation.Responses)
            {
                if (status.StartsWith('4') && response is OpenApiResponse concrete)
                {
                    concrete.Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(ProblemSchema, context.Document) },
                    };
                }
            }

            return Task.CompletedTask;
        });
        options.AddSchemaTransformer((schema, context, _) =>
        {
            var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
            if (type == typeof(decimal))
            {
                // An exact decimal number (0.00945), never rounded through a double.
                schema.Format = "decimal";
            }
            else if (type == typeof(System.Text.Json.JsonElement) && context.JsonPropertyInfo?.Name == "usage")
            {
                schema.Description = "The usage object exactly as the provider returned it; the shape is told by its field names (a mix is a 400). Leave it out to estimate from the catalogue's typical request.";
                schema.OneOf = [.. UsageShapes.Select(shape => Shape(shape.Name, shape.Fields, shape.Objects))];
            }

            return Task.CompletedTask;
        });
    }

    /// <summary>
    /// The usage shapes <c>UsageReader</c> detects and the top-level fields its reader of each knows (derived from
    /// the reader itself, <see cref="Catalog.Pricing.UsageReader.FieldsOf"/>); a field with fields of its own is an object.
    /// </summary>
    public static readonly (string Name, string[] Fields, string[] Objects)[] UsageShapes =
    [
        .. Enum.GetValues<Catalog.Pricing.UsageShape>().Where(shape => shape != Catalog.Pricing.UsageShape.None).Select(shape =>
        {
            var read = Catalog.Pricing.UsageReader.FieldsOf(shape);
            var objects = read.Where(f => f.Contains('.')).Select(f => f[..f.IndexOf('.')]).Distinct().ToArray();
            return (Catalog.Pricing.UsageReader.ShapeName(shape), read.Select(f => f.Contains('.') ? f[..f.IndexOf('.')] : f).Distinct().ToArray(), objects);
        }),
    ];

    private static readonly Dictionary<string, string> Examples = new(StringComparer.Ordinal)
    {
        ["PriceCall"] = """{"model": "my-chatbot", "provider": "anthropic", "timestamp": "2026-11-20T10:00:00Z", "usage": {"input_tokens": 1000, "output_tokens": 500, "cache_read_input_tokens": 0}}""",
        ["RecordCall"] = """{"id": "req_8f14e45f", "model": "claude-sonnet-4-5-20250929", "provider": "anthropic", "usage": {"input_tokens": 1200, "output_tokens": 300, "cache_read_input_tokens": 5000}, "timestamp": "2026-11-20T10:00:00Z", "latency_ms": 2140, "status": "success", "user": "ann", "team": "search", "app": "assistant", "endpoint": "chat", "tags": {"feature": "summaries"}}""",
    };

    private static OpenApiSchema Shape(string name, string[] fields, string[] objects) => new()
    {
        Type = JsonSchemaType.Object,
        Title = name,
        Description = "Also accepted at the top of any shape: service_tier and inference_geo (text, as Anthropic reports them).",
        Properties = fields.ToDictionary(field => field, field => (IOpenApiSchema)(objects.Contains(field)
            ? new OpenApiSchema { Type = JsonSchemaType.Object }
            : field.EndsWith("TokensDetails", StringComparison.Ordinal)
                ? new OpenApiSchema { Type = JsonSchemaType.Array, Description = "Google's modality list: [{\"modality\": \"AUDIO\", \"tokenCount\": 600}]", Items = new OpenApiSchema { Type = JsonSchemaType.Object } }
                : new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64" })),
    };

    private static void Add(OpenApiOperation operation, OpenApiDocument? document, int status, string description) =>
        operation.Responses!.TryAdd(status.ToString(System.Globalization.CultureInfo.InvariantCulture), new OpenApiResponse { Description = description });

    /// <summary>The ProblemDetails the service writes (RFC 9457), with <c>errors</c> by field on a 400 and the request's <c>trace_id</c>.</summary>
    private static OpenApiSchema Problem() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "RFC 9457 problem details: what is wrong and how to fix it.",
        Required = new HashSet<string> { "type", "title", "status", "detail", "trace_id" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = Text("A URI naming the kind of problem."),
            ["title"] = Text("The kind of problem, in words."),
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "The HTTP status code." },
            ["detail"] = Text("What is wrong with this request and how to fix it."),
            ["instance"] = Text("The request's method and path (on some problems)."),
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "On a 400: the messages per field (usage.prompt_tokens, items[3].model, a query parameter ...).",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = Text(null) },
            },
            ["trace_id"] = Text("The request's trace id, to find it in the service's logs."),
        },
    };

    private static OpenApiSchema Text(string? description) => new() { Type = JsonSchemaType.String, Description = description };
}
