using System.Text.Json.Serialization;
using System.Text.Json;
using Catalog.Pricing;
using Catalog.Ledger;

namespace Catalog.Api.Features.Cost;

/// <summary>Price one call. <c>usage</c> is the usage object exactly as the provider returned it (canonical, OpenAI, Anthropic or Google shape); leave it out to estimate.</summary>
/// <param name="Model">The model name your application sent (an alias, a dated snapshot, `vendor/model:provider` ...).</param>
/// <param name="Provider">Optional provider id that served the call (`anthropic`, `huggingface` ...).</param>
/// <param name="Timestamp">When the call happened (ISO-8601; default now): picks the price in force then.</param>
/// <param name="Usage">Token counts in the provider's own shape.</param>
/// <param name="ServiceTier">The service tier the call was served in (batch, flex, priority ...; default and auto are standard); default: the usage's own service_tier.</param>
/// <param name="Region">The region the call was served in (data residency, such as us); default: the usage's inference_geo.</param>
public sealed record CostRequest(string Model, string? Provider = null, DateTimeOffset? Timestamp = null, JsonElement? Usage = null, string? ServiceTier = null, string? Region = null);

public sealed record CostBatchRequest(CostRequest[] Items);

/// <summary>Prices applied, USD per million tokens (after tier, history and overrides).</summary>
public sealed record AppliedPrices(decimal InputMtok, decimal OutputMtok, decimal CacheReadMtok, decimal CacheWriteMtok, [property: JsonPropertyName("cache_write_1h_mtok")] decimal CacheWrite1hMtok);

/// <summary>The exact cost of one call, broken down by part and by charged unit, with how the price was found; <c>total_usd</c> = input + output + cache read + cache write + request + tools.</summary>
public sealed record CostResponse(
    string Model,
    string? ResolvedModel,
    string? Provider,
    string PricingSource,
    string TokenSource,
    long? Tier,
    decimal InputUsd,
    decimal OutputUsd,
    decimal CacheReadUsd,
    decimal CacheWriteUsd,
    decimal RequestUsd,
    decimal TotalUsd,
    string Currency,
    string CatalogVersion,
    IReadOnlyList<string> Warnings,
    UsageCounts Usage,
    string UsageShape,
    AppliedPrices Prices,
    decimal ToolsUsd,
    string? ServiceTier,
    string? Region,
    IReadOnlyList<UnpricedUsage> Unpriced,
    IReadOnlyList<UnitCharge> Units);

/// <summary>
/// A cost as <c>POST /v1/cost/batch?answer=compact</c> answers it: these fields of <see cref="CostResponse"/>, with the same
/// values (<c>total_usd</c> still includes the cache, request and tools parts the whole answer itemizes); no warnings,
/// usage, prices or units.
/// </summary>
public sealed record CostCompactResponse(string Model, string? Provider, string PricingSource, decimal InputUsd, decimal OutputUsd, decimal TotalUsd, string Currency);

/// <summary>What <c>POST /v1/cost/batch</c> takes in its query.</summary>
public sealed class CostBatchQuery
{
    /// <summary>
    /// <c>full</c> (the default): every field of each cost; <c>compact</c>: per cost only model, provider, pricing_source,
    /// input_usd, output_usd, total_usd and currency (the same values; under a fifth of the bytes). Problems are the same in both.
    /// </summary>
    [Microsoft.AspNetCore.Mvc.FromQuery(Name = "answer")]
    public string? Answer { get; set; }
}

/// <summary>A number in the usage that its shape does not price: charged nothing.</summary>
public sealed record UnpricedUsage(string Field, long Count);

/// <summary>One charged unit: <c>count</c> of it at <c>price</c> (USD per million tokens, or per thousand for a count such as web searches).</summary>
public sealed record UnitCharge(string Unit, long Count, string PriceKey, decimal Price, decimal Usd);

/// <summary>Batch results in request order: a cost, or a problem for an item that was not valid.</summary>
public sealed record CostBatchResponse(object[] Results, int Priced, int Failed);
