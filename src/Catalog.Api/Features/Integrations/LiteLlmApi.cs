using Catalog.Api.Telemetry;
using System.Text.Json;
using Catalog.Api.Features.Cost;
using Catalog.Api.Features.Keys;
using Catalog.Api.Features.Usage;
using Catalog.Api.Http;
using Catalog.Ledger;

namespace Catalog.Api.Features.Integrations;

public static class LiteLlmApi
{
    public const string SkippedCacheHit = "skipped_cache_hit";

    public static WebApplicationBuilder AddLiteLlm(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<LiteLlmSpendLogReader>();
        return builder;
    }

    public static IEndpointRouteBuilder MapLiteLlm(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/integrations/litellm", RecordSpendLogs)
            .RequireAuthorization(ApiKeys.Ingest)
            .RequireRateLimiting(ApiKeys.RateLimitPolicy)
            .WithTags("Integrations")
            .WithName("RecordLiteLlmSpendLogs")
            .WithSummary("Record what a LiteLLM proxy's generic API logger sends: each call priced by us, LiteLLM's response_cost kept as reported_cost_usd")
            .WithDescription("Takes LiteLLM's standard logging payload: one object, a JSON array (log_format json_array) or one object per line (ndjson); up to 10,000 entries. Each entry is stored as a usage record, idempotent on its id, or answered with its own problem; 200 with a result per entry, 400 when no entry is valid.")
            .Accepts<LiteLlmSpendLog[]>("application/json")
            .Produces<LiteLlmIngestResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        return app;
    }

    public static async Task<IResult> RecordSpendLogs(HttpRequest request, LiteLlmSpendLogReader reader, IUsageStore store, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadBytesAsync(request, RequestLimits.BatchBodyBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var (batch, notJson) = LiteLlmBatch.Parse(body);
        if (batch is null)
        {
            return JsonBody.NotJson(notJson!);
        }

        using (batch)
        {
            var count = batch.Entries.Count;
            if (count is 0 or > UsageApi.MaxBatchItems)
            {
                return Problems.Validation("body", $"send one LiteLLM standard logging payload or a list of 1 to {UsageApi.MaxBatchItems:N0}; this list has {count} (lower the logger's batch_size)");
            }

            var results = new UsageBatchResult[count];
            var accepted = new List<(int Index, UsageRecord Record)>(count);
            var rejected = new Dictionary<string, string[]>();
            var keyId = ApiKeys.KeyIdOf(request.HttpContext.User);
            for (var index = 0; index < count; index++)
            {
                var (entry, unreadable) = batch.Entries[index];
                var path = batch.IsList ? $"[{index}]." : string.Empty;
                var errors = new Dictionary<string, string[]>();
                if (unreadable is not null)
                {
                    errors[$"[{index}]"] = [unreadable];
                }
                else if (LiteLlmSpendLogReader.IsCacheHit(entry))
                {
                    results[index] = new UsageBatchResult(index, UsageApi.Id(entry), StatusCodes.Status200OK, SkippedCacheHit, null, null);
                    continue;
                }
                else if (reader.Read(entry, errors, path, keyId) is { } record)
                {
                    accepted.Add((index, record));
                    continue;
                }

                results[index] = UsageApi.Invalid(index, entry, errors);
                foreach (var (field, messages) in errors)
                {
                    rejected[field] = messages;
                }
            }

            var skipped = results.Count(r => r?.Outcome == SkippedCacheHit);
            if (accepted.Count == 0 && skipped == 0)
            {
                UsageApi.CountBatch(CatalogMetrics.Routes.LiteLlm, results);
                return Problems.Validation(rejected);
            }

            await UsageApi.StoreAsync(store, accepted, results);
            UsageApi.CountBatch(CatalogMetrics.Routes.LiteLlm, results);
            return TypedResults.Ok(new LiteLlmIngestResponse(
                results.Count(r => r.Status == StatusCodes.Status201Created),
                results.Count(r => r.Outcome == "duplicate"),
                skipped,
                results.Count(r => r.Status >= 400),
                results));
        }
    }
}
