using Catalog.Api.Telemetry;
using Catalog.Api.Features.Keys;
using System.Buffers;
using System.Text.Json;
using Catalog.Api.Http;
using Catalog.Pricing;
using Catalog.Ledger;

namespace Catalog.Api.Features.Cost;

public static class CostApi
{
    public const int MaxBatchItems = BatchEnvelope.MaxItems;

    private static readonly string[] BatchFields = ["items"];

    public static WebApplicationBuilder AddCost(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<CostJson>();
        return builder;
    }

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
            .WithDescription("Results in request order: each a cost (CostResponse; with ?answer=compact only the fields of CostCompactResponse, the same values) or the problem of an item that is not valid.")
            .Accepts<CostBatchRequest>("application/json")
            .Produces<CostBatchResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        return app;
    }

    public static async Task<IResult> PriceOne(HttpRequest request, PricingEngine engine, CostJson json, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadBytesAsync(request, RequestLimits.BodyBytes, cancellationToken, pooled: true);
        if (problem is not null)
        {
            return problem;
        }

        var now = clock.GetUtcNow();
        if (CostBatchItems.TryReadOne(body.Span, now, out var item))
        {
            // A plain call, read without a document (as a plain batch item is).
            var cost = item.Price(engine, now);
            CatalogMetrics.Priced(cost.Resolution.Source, cost.Resolution.Provider?.Id);
            return await AnswerAsync(request.HttpContext.Response, json, engine, item.Model!, item.Provider, item.Shape, [], cost, cancellationToken);
        }

        var (document, notJson) = JsonBody.ParseOrProblem(body);
        if (notJson is not null)
        {
            return notJson;
        }

        using (document)
        {
            var errors = new Dictionary<string, string[]>();
            var call = PricingRequestReader.Read(document!.RootElement, now, errors, otherFields: CallFields);
            if (call is null)
            {
                CatalogMetrics.Rejected(CatalogMetrics.Routes.Cost, CatalogMetrics.Reasons.Invalid);
                return Problems.Validation(errors);
            }

            return await AnswerAsync(request.HttpContext.Response, json, engine, call.Model, call.Provider, call.Shape, call.Unpriced, Price(engine, call, now), cancellationToken);
        }
    }

    /// <summary>The 200 answer to one call.</summary>
    private static async Task<IResult> AnswerAsync(HttpResponse response, CostJson json, PricingEngine engine, string model, string? provider, UsageShape shape, IReadOnlyList<UnpricedField> unpriced, CostBreakdown cost, CancellationToken cancellationToken)
    {
        var output = StartJson(response);
        json.Write(output, comma: false, CostAnswerForm.Full, model, provider, shape, unpriced, cost, engine);
        await output.FlushAsync(cancellationToken);
        return Results.Empty;
    }

    public static async Task<IResult> PriceBatch(HttpRequest request, [AsParameters] CostBatchQuery query, PricingEngine engine, CostJson json, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (AnswerFormOf(query.Answer) is not { } form)
        {
            return Problems.Validation(new Dictionary<string, string[]>
            {
                ["answer"] = [$"'{query.Answer}' is not an answer form: use full (every field of each cost, the default) or compact (model, provider, pricing_source, input_usd, output_usd, total_usd and currency)."],
            });
        }

        var (body, problem) = await JsonBody.ReadBytesAsync(request, RequestLimits.BatchBodyBytes, cancellationToken, pooled: true);
        if (problem is not null)
        {
            return problem;
        }

        var now = clock.GetUtcNow();
        if (CostBatchItems.TryRead(body, now) is { } read)
        {
            using (read)
            {
                return await PriceItemsAsync(read, request.HttpContext.Response, engine, json, now, form, cancellationToken);
            }
        }

        // The general path: the whole body as a document, which says what is wrong with a body that is not a batch.
        var (document, notJson) = JsonBody.ParseOrProblem(body);
        if (notJson is not null)
        {
            return notJson;
        }

        using (document)
        {
            var errors = new Dictionary<string, string[]>();
            if (!TryReadItems(document!.RootElement, errors, out var items))
            {
                return Problems.Validation(errors);
            }

            using var all = CostBatchItems.FromJson(items);
            return await PriceItemsAsync(all, request.HttpContext.Response, engine, json, now, form, cancellationToken);
        }
    }

    /// <summary>The form <c>?answer=</c> asks for (full when left out), or null for a value that is not one.</summary>
    internal static CostAnswerForm? AnswerFormOf(string? answer) => answer switch
    {
        null or "full" => CostAnswerForm.Full,
        "compact" => CostAnswerForm.Compact,
        _ => null,
    };

    /// <summary>Answers 200 with JSON written by the handler itself, as <c>TypedResults.Ok</c> would.</summary>
    private static System.IO.Pipelines.PipeWriter StartJson(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        return response.BodyWriter;
    }

    /// <summary>Bytes of answers written before they are handed to the connection, so a large batch streams out while the rest is priced.</summary>
    private const int FlushBytes = 32 * 1024;

    /// <summary>
    /// Prices the items in order and streams each answer as it is priced: the response is never built in memory.
    /// A valid item allocates no field paths: they are only spelled out (by reading the item again) for a problem or an unpriced field.
    /// </summary>
    private static async Task<IResult> PriceItemsAsync(CostBatchItems items, HttpResponse response, PricingEngine engine, CostJson json, DateTimeOffset now, CostAnswerForm form, CancellationToken cancellationToken)
    {
        var output = StartJson(response);

        // The headers go first: what is written after them goes straight to the connection, not to a buffer copied at the first flush.
        await response.StartAsync(cancellationToken);
        var failed = await WriteResultsAsync(output, items, engine, json, now, form, cancellationToken);
        await output.FlushAsync(cancellationToken);
        CatalogMetrics.BatchReceived(CatalogMetrics.Routes.CostBatch, items.Count);
        CatalogMetrics.Rejected(CatalogMetrics.Routes.CostBatch, CatalogMetrics.Reasons.Invalid, failed);
        return Results.Empty;
    }

    /// <summary>
    /// The batch answer, <c>{"results": [...], "priced": n, "failed": n}</c>, written straight into <paramref name="output"/>
    /// (the bytes a <see cref="Utf8JsonWriter"/> writes for it, without one between); the number of items that failed.
    /// </summary>
    internal static async Task<int> WriteResultsAsync(System.IO.Pipelines.PipeWriter output, CostBatchItems items, PricingEngine engine, CostJson json, DateTimeOffset now, CostAnswerForm form, CancellationToken cancellationToken)
    {
        var failed = 0;
        var priced = new PricedTally();
        Utf8JsonWriter? problems = null;
        try
        {
            output.Write("{\"results\":["u8);
            var unflushed = 0;
            for (var index = 0; index < items.Count; index++)
            {
                var (ok, written) = WriteItem(output, items, index, engine, json, now, form, ref priced, ref problems);
                if (!ok)
                {
                    failed++;
                }

                unflushed += written;
                if (unflushed >= FlushBytes)
                {
                    await output.FlushAsync(cancellationToken);
                    unflushed = 0;
                }
            }

            WriteCounts(output, items.Count - failed, failed);
        }
        finally
        {
            priced.Flush();
            problems?.Dispose();
        }

        return failed;
    }

    /// <summary><c>],"priced":n,"failed":n}</c>: the end of the batch answer.</summary>
    private static void WriteCounts(System.IO.Pipelines.PipeWriter output, int priced, int failed)
    {
        var b = new JsonBytes(output.GetSpan(64), encoder: null);
        b.Raw("],\"priced\":"u8);
        b.Number(priced);
        b.Raw(",\"failed\":"u8);
        b.Number(failed);
        b.Raw("}"u8);
        output.Advance(b.Length);
    }

    /// <summary>
    /// Writes the answer to one item (a cost, or the problem of an item that is not valid), after a comma unless it is
    /// the first; false for a problem, and the bytes written.
    /// </summary>
    private static (bool Priced, int Written) WriteItem(System.IO.Pipelines.PipeWriter output, CostBatchItems items, int index, PricingEngine engine, CostJson json, DateTimeOffset now, CostAnswerForm form, ref PricedTally priced, ref Utf8JsonWriter? problems)
    {
        ref var item = ref items[index];
        var comma = index > 0;
        if (item.Json is not { } element)
        {
            var cost = item.Price(engine, now);
            priced.Add(cost.Resolution.Source, cost.Resolution.Provider?.Id);
            return (true, json.Write(output, comma, form, item.Model!, item.Provider, item.Shape, [], cost, engine));
        }

        var errors = new Dictionary<string, string[]>();
        var call = PricingRequestReader.Read(element, now, errors, otherFields: CallFields);
        if (call is null || call.Unpriced.Count > 0)
        {
            // A problem and an unpriced field name the item's fields by their path in the batch.
            errors.Clear();
            call = PricingRequestReader.Read(element, now, errors, $"items[{index}].", CallFields);
        }

        if (call is null)
        {
            if (comma)
            {
                output.Write(","u8);
            }

            // A problem is written by the serializer, as it always was (rare: no need for speed).
            problems ??= new Utf8JsonWriter(output, json.WriterOptions);
            problems.Reset(output);
            JsonSerializer.Serialize(problems, Problems.ValidationDetails(errors), json.Options);
            problems.Flush();
            return (false, (int)problems.BytesCommitted + (comma ? 1 : 0));
        }

        var priceOf = engine.Price(call.Model, call.Provider, call.Usage, call.Timestamp ?? now, call.ServiceTier, call.Region);
        priced.Add(priceOf.Resolution.Source, priceOf.Resolution.Provider?.Id);
        return (true, json.Write(output, comma, form, call.Model, call.Provider, call.Shape, call.Unpriced, priceOf, engine));
    }

    /// <summary>Calls priced in a row with the same source and provider, counted in the metrics as one addition (a batch is usually one model).</summary>
    private struct PricedTally
    {
        private PricingSource _source;
        private string? _provider;
        private long _count;

        public void Add(PricingSource source, string? provider)
        {
            if (_count > 0 && source == _source && string.Equals(provider, _provider, StringComparison.Ordinal))
            {
                _count++;
                return;
            }

            Flush();
            (_source, _provider, _count) = (source, provider, 1);
        }

        public void Flush()
        {
            if (_count > 0)
            {
                CatalogMetrics.Priced(_source, _provider, _count);
                _count = 0;
            }
        }
    }

    /// <summary>The batch body is {"items": [ ... ]} and nothing else.</summary>
    internal static bool TryReadItems(JsonElement root, Dictionary<string, string[]> errors, out JsonElement items)
    {
        if (root.ValueKind == JsonValueKind.Object)
        {
            PricingRequestReader.AddUnknownFields(root, string.Empty, BatchFields, errors);
        }

        return BatchEnvelope.TryRead(root, "cost requests", errors, out items);
    }

    /// <summary>What /v1/cost reads beside the call: the service tier and region it was served in.</summary>
    public static readonly string[] CallFields = ["service_tier", "region"];

    public static CostBreakdown Price(PricingEngine engine, PricingRequest call, DateTimeOffset now)
    {
        var cost = engine.Price(call.Model, call.Provider, call.Usage, call.Timestamp ?? now, call.ServiceTier, call.Region);
        CatalogMetrics.Priced(cost.Resolution.Source, cost.Resolution.Provider?.Id);
        return cost;
    }

    /// <summary>The answer as a record: what <see cref="CostJson"/> writes, built the slow way (the contract it is tested against).</summary>
    public static CostResponse ToResponse(PricingRequest call, in CostBreakdown cost, PricingEngine engine)
    {
        var resolution = cost.Resolution;
        var prices = AppliedPricesOf(cost);
        string?[] estimate = [EstimateWarning(cost, engine)];
        return new CostResponse(
            call.Model,
            resolution.ResolvedModel,
            resolution.Provider?.Id ?? call.Provider,
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
            [.. resolution.Warnings, .. estimate.OfType<string>(), .. call.Unpriced.Select(u => UnpricedWarning(u, call.Shape))],
            UsageCounts.From(cost.Usage),
            ShapeName(call.Shape),
            new AppliedPrices(prices.Input, prices.Output, prices.CacheRead, prices.CacheWrite, prices.CacheWrite1h),
            cost.ToolsUsd,
            cost.ServiceTier,
            cost.Region,
            [.. call.Unpriced.Select(u => new UnpricedUsage(u.Field, u.Count))],
            [.. CostCalculator.Units(cost).Select(u => new UnitCharge(u.Name, u.Count, u.PriceKey, u.Price, u.Usd))]);
    }

    /// <summary>The warning of a call priced without token counts, or null.</summary>
    public static string? EstimateWarning(in CostBreakdown cost, PricingEngine engine) =>
        cost.TokenSource != TokenSource.Estimated ? null
        : cost.Resolution.Model?.EstimateRequestUsd is not null ? "no token counts: priced at the model's estimate_request_usd"
        : $"no token counts: estimated for a typical request of {engine.Data.TypicalInputTokens} input and {engine.Data.TypicalOutputTokens} output tokens";

    public static string UnpricedWarning(UnpricedField unpriced, UsageShape shape) =>
        $"{unpriced.Field} ({unpriced.Count}) is not a field the {ShapeName(shape)} usage shape prices; charged nothing";

    /// <summary>The prices charged per million tokens: tier and history applied, missing cache prices shown as the price used.</summary>
    public static (decimal Input, decimal Output, decimal CacheRead, decimal CacheWrite, decimal CacheWrite1h) AppliedPricesOf(in CostBreakdown cost)
    {
        var p = cost.Prices;
        PriceTier? tier = null;
        foreach (var candidate in cost.Tier is null ? [] : p.Tiers)
        {
            if (candidate.AboveInputTokens == cost.Tier)
            {
                tier = candidate;
                break;
            }
        }

        var input = tier?.InputMtok ?? p.InputMtok;
        var cacheWrite = tier?.CacheWriteMtok ?? p.CacheWriteMtok ?? input;
        return (
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
