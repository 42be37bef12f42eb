using System.Globalization;
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
            var now = clock.GetUtcNow();
            var expiresAt = ExpiresAt(body, now, errors);
            if (name is null || errors.Count > 0)
            {
                return Problems.Validation(errors);
            }

            var (id, key) = ApiKeys.Generate();
            var record = new ApiKeyRecord(id, name, scopes, ApiKeys.Hash(key), perSecond, now, null, expiresAt);
            await keys.CreateAsync(record, cancellationToken);
            return TypedResults.Created($"/v1/keys/{id}", new CreatedKey(id, name, scopes, perSecond, record.CreatedAt, expiresAt, key));
        }, cancellationToken);
    }

    public static async Task<ItemList<ApiKeyInfo>> ListKeys(IKeyStore keys, CancellationToken cancellationToken) =>
        new([.. (await keys.ListAsync(cancellationToken)).Select(k => new ApiKeyInfo(k.Id, k.Name, k.Scopes, k.RequestsPerSecond, k.CreatedAt, k.RevokedAt, k.ExpiresAt, k.LastUsedAt))]);

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

    private static DateTimeOffset? ExpiresAt(JsonElement body, DateTimeOffset now, Dictionary<string, string[]> errors)
    {
        if (!body.TryGetProperty("expires_at", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
            && value.GetString()!.Contains('T', StringComparison.Ordinal)
            && at > now)
        {
            return at.ToUniversalTime();
        }

        PricingRequestReader.Add(errors, "expires_at", $"'expires_at' must be an ISO-8601 time with its offset, later than now ({now:yyyy-MM-ddTHH:mm:ssZ}), e.g. \"{now.AddDays(90):yyyy-MM-dd}T00:00:00Z\"; leave it out for a key that does not expire");
        return null;
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
/// <param name="ExpiresAt">When the key stops working (a later time, with its offset); leave out for a key that does not expire.</param>
public sealed record CreateKeyRequest(string Name, string[] Scopes, int? RequestsPerSecond, DateTimeOffset? ExpiresAt);

/// <param name="Key">The key: shown this once; only its hash is stored.</param>
public sealed record CreatedKey(string Id, string Name, IReadOnlyList<string> Scopes, int? RequestsPerSecond, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, string Key);

/// <param name="LastUsedAt">When the key last authenticated a request, to the minute (written at most once a minute a key); null when never.</param>
public sealed record ApiKeyInfo(string Id, string Name, IReadOnlyList<string> Scopes, int? RequestsPerSecond, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? LastUsedAt);
