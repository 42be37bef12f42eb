using System.Text.Json;
using Catalog.Api.Features.Cost;
using Catalog.Api.Http;
using Catalog.Ledger;

namespace Catalog.Api.Features.Keys;

public static class KeysApi
{
    public const int MaxNameLength = 100;
    public const int MaxRequestsPerSecond = 1_000_000;

    public static IEndpointRouteBuilder MapKeys(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/keys").WithTags("Keys").RequireAuthorization(ApiKeys.Admin).RequireRateLimiting(ApiKeys.RateLimitPolicy);
        group.MapPost("/", CreateKey)
            .WithName("CreateKey")
            .WithSummary("Create an API key; the key is returned this once (only its hash is kept)")
            .Accepts<CreateKeyRequest>("application/json")
            .Produces<CreatedKey>(StatusCodes.Status201Created)
            .ProducesValidationProblem();
        group.MapGet("/", ListKeys)
            .WithName("ListKeys")
            .WithSummary("Every key (never the key itself)")
            .Produces<ItemList<ApiKeyInfo>>();
        group.MapDelete("/{id}", RevokeKey)
            .WithName("RevokeKey")
            .WithSummary("Revoke a key; it stops working at once")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static Task<IResult> CreateKey(HttpRequest request, IKeyStore keys, TimeProvider clock, CancellationToken cancellationToken)
    {
        return JsonBody.HandleAsync(request, RequestLimits.BodyBytes, async body =>
        {
            var errors = new Dictionary<string, string[]>();
            if (body.ValueKind != JsonValueKind.Object)
            {
                return Problems.Validation("body", "send {\"name\": \"gateway\", \"scopes\": [\"ingest\", \"read\"]}");
            }

            var name = PricingRequestReader.Text(body, "name", string.Empty, errors, required: true, MaxNameLength);
            var scopes = Scopes(body, errors);
            var perSecond = RequestsPerSecond(body, errors);
            if (name is null || errors.Count > 0)
            {
                return Problems.Validation(errors);
            }

            var (id, key) = ApiKeys.Generate();
            var record = new ApiKeyRecord(id, name, scopes, ApiKeys.Hash(key), perSecond, clock.GetUtcNow(), null);
            await keys.CreateAsync(record, cancellationToken);
            return TypedResults.Created($"/v1/keys/{id}", new CreatedKey(id, name, scopes, perSecond, record.CreatedAt, key));
        }, cancellationToken);
    }

    public static async Task<ItemList<ApiKeyInfo>> ListKeys(IKeyStore keys, CancellationToken cancellationToken) =>
        new([.. (await keys.ListAsync(cancellationToken)).Select(k => new ApiKeyInfo(k.Id, k.Name, k.Scopes, k.RequestsPerSecond, k.CreatedAt, k.RevokedAt))]);

    public static async Task<IResult> RevokeKey(string id, IKeyStore keys, TimeProvider clock, CancellationToken cancellationToken) =>
        await keys.RevokeAsync(id, clock.GetUtcNow(), cancellationToken)
            ? TypedResults.NoContent()
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such key", detail: $"No key has id '{id}'; GET /v1/keys lists them.");

    private static string[] Scopes(JsonElement body, Dictionary<string, string[]> errors)
    {
        var hint = $"'scopes' is a non-empty list of {string.Join(", ", ApiKeys.Scopes)}";
        if (!body.TryGetProperty("scopes", out var value) || value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
        {
            PricingRequestReader.Add(errors, "scopes", hint);
            return [];
        }

        var scopes = new List<string>();
        foreach (var scope in value.EnumerateArray())
        {
            var text = scope.ValueKind == JsonValueKind.String ? scope.GetString() : null;
            if (text is null || Array.IndexOf(ApiKeys.Scopes, text) < 0)
            {
                PricingRequestReader.Add(errors, "scopes", $"unknown scope {scope.GetRawText()}; {hint}");
            }
            else if (!scopes.Contains(text))
            {
                scopes.Add(text);
            }
        }

        return [.. scopes];
    }

    private static int? RequestsPerSecond(JsonElement body, Dictionary<string, string[]> errors)
    {
        if (!body.TryGetProperty("requests_per_second", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var perSecond) && perSecond is >= 1 and <= MaxRequestsPerSecond)
        {
            return perSecond;
        }

        PricingRequestReader.Add(errors, "requests_per_second", $"'requests_per_second' must be a whole number from 1 to {MaxRequestsPerSecond}, or left out for the default");
        return null;
    }
}

/// <param name="Scopes">ingest (record calls), read (usage and analytics), admin (everything, keys and recalculation).</param>
/// <param name="RequestsPerSecond">This key's rate limit; leave out for the server default (Keys:RequestsPerSecond).</param>
public sealed record CreateKeyRequest(string Name, string[] Scopes, int? RequestsPerSecond);

/// <param name="Key">The key: shown this once; only its hash is stored.</param>
public sealed record CreatedKey(string Id, string Name, IReadOnlyList<string> Scopes, int? RequestsPerSecond, DateTimeOffset CreatedAt, string Key);

public sealed record ApiKeyInfo(string Id, string Name, IReadOnlyList<string> Scopes, int? RequestsPerSecond, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);
