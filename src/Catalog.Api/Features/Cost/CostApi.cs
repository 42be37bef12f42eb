using Catalog.Api.Telemetry;
using Catalog.Api.Features.Keys;
using System.Text.Json;
using Catalog.Api.Http;
using Catalog.Pricing;
using Catalog.Ledger;

namespace Catalog.Api.Features.Cost;

public static class CostApi
{
    public const int MaxBatchItems = BatchEnvelope.MaxItems;

    private static readonly string[] BatchFields = ["items"];

    public static IEndpointRouteBuilder MapCost(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/cost").WithTags("Cost");
        if (app.ServiceProvider.GetRequiredService<CostOptions>().RequireKey)
        {
            // Open by default, like a price list; a deployment that meters it asks for a key (any scope).
            group.RequireAuthorization(ApiKeys.AnyKey).RequireRateLimiting(ApiKeys.RateLimitPolicy);
        }

        group.MapPost("/", PriceOne)
            .WithName("PriceCall")
            .WithSummary("Price one LLM call")
            .WithDescription("Resolves the model name (exact, alias, match rules, short name, case-insensitive, provider default, default model, fallback) and prices the usage exactly in decimal USD. Leave usage out to estimate from the catalogue's typical request.")
            .Accepts<CostRequest>("application/json")
            .Produces<CostResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        group.MapPost("/batch", PriceBatch)
            .WithName("PriceCalls")
            .WithSummary("Price up to 10,000 calls; a bad item gets its own problem, the rest are priced")
            .Accepts<CostBatchRequest>("application/json")
            .Produces<CostBatchResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        return app;
    }

    public static Task<IResult> PriceOne(HttpRequest request, PricingEngine engine, TimeProvider clock, CancellationToken cancellationToken) =>
        JsonBody.HandleAsync(request, RequestLimits.BodyBytes, body =>
        {
            var errors = new Dictionary<string, string[]>();
            var now = clock.GetUtcNow();
            var call = PricingRequestReader.Read(body, now, errors, otherFields: CallFields);
            if (call is null)
            {
                CatalogMetrics.Rejected(CatalogMetrics.Routes.Cost, CatalogMetrics.Reasons.Invalid);
                return Task.FromResult<IResult>(Problems.Validation(errors));
            }

            return Task.FromResult<IResult>(TypedResults.Ok(Price(engine, call, now)));
        }, cancellationToken);

    public static Task<IResult> PriceBatch(HttpRequest request, PricingEngine engine, TimeProvider clock, CancellationToken cancellationToken) =>
        JsonBody.HandleAsync(request, RequestLimits.BatchBodyBytes, body => Task.FromResult(PriceItems(body, engine, clock.GetUtcNow())), cancellationToken);

    private static IResult PriceItems(JsonElement body, PricingEngine engine, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        if (!TryReadItems(body, errors, out var items))
        {
            return Problems.Validation(errors);
        }

        var count = items.GetArrayLength();
        var results = new object[count];
        var failed = 0;
        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            var call = PricingRequestReader.Read(item, now, errors, $"items[{index}].", CallFields);
            if (call is null)
            {
                results[index] = Problems.ValidationDetails(errors);
                errors.Clear();
                failed++;
            }
            else
            {
                results[index] = Price(engine, call, now);
            }

            index++;
        }

        CatalogMetrics.BatchReceived(CatalogMetrics.Routes.CostBatch, count);
        CatalogMetrics.Rejected(CatalogMetrics.Routes.CostBatch, CatalogMetrics.Reasons.Invalid, failed);
        return TypedResults.Ok(new CostBatchResponse(results, count - failed, failed));
    }

    /// <summary>The batch body is {"items": [ ... ]} and nothing else.</summary>
    private static bool TryReadItems(JsonElement root, Dictionary<string, string[]> errors, out JsonElement items)
    {
        items = default;
        try
        {
            if (root.ValueKind == JsonValueKind.Object)
            {
                PricingRequestReader.AddUnknownFields(root, string.Empty, BatchFields, errors);
            }
        }
        catch (InvalidOperationException)
        {
            PricingRequestReader.Add(errors, "body", PricingRequestReader.InvalidFieldName);
            return false;
        }

        return BatchEnvelope.TryRead(root, "cost requests", errors, out items);
    }

    /// <summary>What /v1/cost reads beside the call: the service tier and region it was served in.</summary>
    private static readonly string[] CallFields = ["service_tier", "region"];

    public static CostResponse Price(PricingEngine engine, PricingRequest call, DateTimeOffset now)
    {
        var cost = call.ServiceTier is null && call.Region is null
            ? engine.Price(call.Model, call.Provider, call.Usage, call.Timestamp ?? now)
            : engine.Price(call.Model, call.Provider, call.Usage, call.Timestamp ?? now, call.ServiceTier, call.Region);
        CatalogMetrics.Priced(cost.Resolution.Source, cost.Resolution.Provider?.Id);
        return ToResponse(call.Model, call.Provider, call.Shape, cost, engine, call.Unpriced);
    }

    public static CostResponse ToResponse(string model, string? requestedProvider, UsageShape shape, in CostBreakdown cost, PricingEngine engine, IReadOnlyList<UnpricedField>? unpriced = null)
    {
        unpriced ??= [];
        var resolution = cost.Resolution;
        var prices = AppliedPricesOf(cost);
        return new CostResponse(
            model,
            resolution.ResolvedModel,
            resolution.Provider?.Id ?? requestedProvider,
            resolution.Source.ToWire(),
            cost.TokenSource.ToWire(),
            cost.Tier,
            cost.InputUsd,
            cost.OutputUsd,
            cost.CacheReadUsd,
            cost.CacheWriteUsd,
            cost.RequestUsd,
            cost.TotalUsd,
            "USD",
            engine.Version,
            [.. Warnings(cost, engine), .. unpriced.Select(u => $"{u.Field} ({u.Count}) is not a field the {ShapeName(shape)} usage shape prices; charged nothing")],
            UsageCounts.From(cost.Usage),
            ShapeName(shape),
            prices,
            cost.ToolsUsd,
            cost.ServiceTier,
            cost.Region,
            [.. unpriced.Select(u => new UnpricedUsage(u.Field, u.Count))],
            [.. CostCalculator.Units(cost).Select(u => new UnitCharge(u.Name, u.Count, u.PriceKey, u.Price, u.Usd))]);
    }

    private static IReadOnlyList<string> Warnings(in CostBreakdown cost, PricingEngine engine)
    {
        if (cost.TokenSource != TokenSource.Estimated)
        {
            return cost.Resolution.Warnings;
        }

        var estimate = cost.Resolution.Model?.EstimateRequestUsd is not null
            ? "no token counts: priced at the model's estimate_request_usd"
            : $"no token counts: estimated for a typical request of {engine.Data.TypicalInputTokens} input and {engine.Data.TypicalOutputTokens} output tokens";
        return [.. cost.Resolution.Warnings, estimate];
    }

    /// <summary>The prices charged per million tokens: tier and history applied, missing cache prices shown as the price used.</summary>
    private static AppliedPrices AppliedPricesOf(in CostBreakdown cost)
    {
        var p = cost.Prices;
        var tier = cost.Tier is { } above ? Array.Find(p.Tiers, t => t.AboveInputTokens == above) : null;
        var input = tier?.InputMtok ?? p.InputMtok;
        var cacheWrite = tier?.CacheWriteMtok ?? p.CacheWriteMtok ?? input;
        return new AppliedPrices(
            input,
            tier?.OutputMtok ?? p.OutputMtok,
            tier?.CacheReadMtok ?? p.CacheReadMtok ?? input,
            cacheWrite,
            tier?.CacheWrite1hMtok ?? p.CacheWrite1hMtok ?? cacheWrite);
    }

    public static string ShapeName(UsageShape shape) => UsageReader.ShapeName(shape);
}

/// <summary><c>Cost:RequireKey</c>: /v1/cost asks for a key (any scope) when true; open by default, like a price list.</summary>
public sealed class CostOptions
{
    public bool RequireKey { get; set; }
}
