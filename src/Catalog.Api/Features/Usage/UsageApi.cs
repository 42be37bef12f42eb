using Catalog.Api.Telemetry;
using System.Text.Json;
using Catalog.Api.Features.Cost;
using Catalog.Api.Features.Keys;
using Catalog.Api.Http;
using Catalog.Ledger;
using Catalog.Pricing;

namespace Catalog.Api.Features.Usage;

public static class UsageApi
{
    public const int MaxBatchItems = BatchEnvelope.MaxItems;
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1_000;

    public static WebApplicationBuilder AddUsage(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<UsageCallReader>();
        builder.Services.AddSingleton(RetentionOptions.Read(builder.Configuration));
        builder.Services.AddSingleton<LedgerRetention>();
        builder.Services.AddHostedService(services => services.GetRequiredService<LedgerRetention>());
        return builder;
    }

    public static IEndpointRouteBuilder MapUsage(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/usage").WithTags("Usage").RequireRateLimiting(ApiKeys.RateLimitPolicy);
        group.MapPost("/", RecordCall)
            .RequireAuthorization(ApiKeys.Ingest)
            .WithName("RecordCall")
            .WithSummary("Record one LLM call: priced, stored durably, idempotent on id")
            .WithDescription("201 with the stored record; the same id and body again answers 200 with the first record; the same id with a different body answers 409. A 2xx means the call is on disk.")
            .Accepts<UsageCallRequest>("application/json")
            .Produces<UsageRecord>(StatusCodes.Status201Created)
            .Produces<UsageRecord>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        group.MapPost("/batch", RecordCalls)
            .RequireAuthorization(ApiKeys.Ingest)
            .WithName("RecordCalls")
            .WithSummary("Record up to 10,000 calls; each is accepted or rejected on its own")
            .Accepts<UsageBatchRequest>("application/json")
            .Produces<UsageBatchResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        group.MapGet("/", ListCalls)
            .RequireAuthorization(ApiKeys.Read)
            .WithName("ListCalls")
            .WithSummary("Recorded calls, newest first, a page at a time (pass next_cursor as cursor)")
            .AcceptsQuery<UsageListQuery>()
            .Produces<UsageListResponse>()
            .ProducesValidationProblem();
        group.MapDelete("/", UsageErasure.EraseUser)
            .RequireAuthorization(ApiKeys.Admin)
            .WithName("EraseUser")
            .WithSummary("Delete every call of one user (a GDPR erasure request): the ledger and the rollups; answers how many, and leaves an audit log line")
            .AcceptsQuery<ErasureQuery>()
            .Produces<ErasureResult>()
            .ProducesValidationProblem();
        group.MapGet("/{id}", GetCall)
            .RequireAuthorization(ApiKeys.Read)
            .WithName("GetCall")
            .WithSummary("One recorded call by its id")
            .Produces<UsageRecord>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/export.csv", ExportCalls)
            .RequireAuthorization(ApiKeys.Read)
            .WithName("ExportCalls")
            .WithSummary("Recorded calls as CSV (RFC 4180, streamed, formula-safe)")
            .AcceptsQuery<UsageFilterQuery>()
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .ProducesValidationProblem();
        group.MapPost("/recalculate", RecalculateCalls)
            .RequireAuthorization(ApiKeys.Admin)
            .WithName("RecalculateCalls")
            .WithSummary("Price stored calls again with the catalogue built in now (dry_run=true reports only)")
            .AcceptsQuery<RecalculationQuery>()
            .Produces<RecalculationResponse>()
            .ProducesValidationProblem();
        return app;
    }

    public static Task<IResult> RecordCall(HttpRequest request, UsageCallReader reader, IUsageStore store, CancellationToken cancellationToken)
    {
        return JsonBody.HandleAsync(request, RequestLimits.BodyBytes, async body =>
        {
            var errors = new Dictionary<string, string[]>();
            var record = reader.Read(body, errors, keyId: ApiKeys.KeyIdOf(request.HttpContext.User));
            if (record is null)
            {
                CatalogMetrics.Rejected(CatalogMetrics.Routes.Usage, CatalogMetrics.Reasons.Invalid);
                return Problems.Validation(errors);
            }

            var result = (await store.AppendAsync([record], CancellationToken.None))[0];
            switch (result.Outcome)
            {
                case AppendOutcome.Created:
                    return TypedResults.Created($"/v1/usage/{Uri.EscapeDataString(record.Id)}", result.Record);
                case AppendOutcome.Duplicate:
                    return TypedResults.Ok(result.Record);
                default:
                    CatalogMetrics.Rejected(CatalogMetrics.Routes.Usage, CatalogMetrics.Reasons.Conflict);
                    return Conflict(record.Id);
            }
        }, cancellationToken);
    }

    public static Task<IResult> RecordCalls(HttpRequest request, UsageCallReader reader, IUsageStore store, CancellationToken cancellationToken)
    {
        return JsonBody.HandleAsync(request, RequestLimits.BatchBodyBytes, async body =>
        {
            var envelopeErrors = new Dictionary<string, string[]>();
            if (!BatchEnvelope.TryRead(body, "calls", envelopeErrors, out var items))
            {
                return Problems.Validation(envelopeErrors);
            }

            var count = items.GetArrayLength();
            var keyId = ApiKeys.KeyIdOf(request.HttpContext.User);
            var results = new UsageBatchResult[count];
            var accepted = new List<(int Index, UsageRecord Record)>(count);
            var index = 0;
            foreach (var item in items.EnumerateArray())
            {
                var errors = new Dictionary<string, string[]>();
                var record = reader.Read(item, errors, $"items[{index}].", keyId);
                if (record is null)
                {
                    results[index] = Invalid(index, item, errors);
                }
                else
                {
                    accepted.Add((index, record));
                }

                index++;
            }

            await StoreAsync(store, accepted, results);
            CountBatch(CatalogMetrics.Routes.UsageBatch, results);
            return TypedResults.Ok(new UsageBatchResponse(
                results.Count(r => r.Status == StatusCodes.Status201Created),
                results.Count(r => r.Status == StatusCodes.Status200OK),
                results.Count(r => r.Status >= 400),
                results));
        }, cancellationToken);
    }

    public static async Task<IResult> ListCalls([AsParameters] UsageListQuery query, IUsageStore store, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var filter = query.ReadFilter(errors);
        var limit = query.ReadLimit(DefaultPageSize, MaxPageSize, errors);
        if (filter is null || errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        try
        {
            var page = await store.ListAsync(filter, query.ReadCursor(), limit, cancellationToken);
            return TypedResults.Ok(new UsageListResponse(page.Items, page.NextCursor));
        }
        catch (FormatException ex)
        {
            return Problems.Validation("cursor", ex.Message);
        }
    }

    public static async Task<IResult> GetCall(string id, IUsageStore store, CancellationToken cancellationToken) =>
        await store.FindAsync(id, cancellationToken) is { } record
            ? TypedResults.Ok(record)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such call", detail: $"No call with id '{id}' is recorded.");

    public static IResult ExportCalls([AsParameters] UsageFilterQuery query, HttpRequest request, IUsageStore store, HeavyRequests heavy)
    {
        var errors = new Dictionary<string, string[]>();
        var filter = query.ReadFilter(errors);
        if (filter is null)
        {
            return Problems.Validation(errors);
        }

        if (HeavyRequests.Enter(request.HttpContext, heavy.Exports, "CSV exports") is { } busy)
        {
            return busy;
        }

        var aborted = request.HttpContext.RequestAborted;
        return TypedResults.Stream(
            output => UsageCsv.WriteAsync(output, store, filter, aborted),
            "text/csv; charset=utf-8",
            "usage.csv");
    }

    public static async Task<IResult> RecalculateCalls([AsParameters] RecalculationQuery query, IUsageStore store, UsageCallReader reader, PricingEngine engine, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var filter = query.ReadFilter(errors);
        var dryRun = query.ReadDryRun(errors);
        if (filter is null || errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var result = await store.RecalculateAsync(filter, reader.Reprice, apply: !dryRun, cancellationToken);
        CatalogMetrics.Recalculated(dryRun, result.Changed);
        return TypedResults.Ok(new RecalculationResponse(dryRun, result.Scanned, result.Changed, result.OldTotalUsd, result.NewTotalUsd, result.DeltaUsd, engine.Version));
    }

    /// <summary>The answer for an item of a batch that is not valid: its problem, by field.</summary>
    public static UsageBatchResult Invalid(int index, JsonElement item, Dictionary<string, string[]> errors) =>
        new(index, Id(item), StatusCodes.Status400BadRequest, "invalid", null, Problems.ValidationDetails(errors));

    /// <summary>Stores the valid items of a batch in one append (one commit) and answers each in its place in <paramref name="results"/>.</summary>
    public static async Task StoreAsync(IUsageStore store, List<(int Index, UsageRecord Record)> accepted, UsageBatchResult[] results)
    {
        var stored = await store.AppendAsync([.. accepted.Select(a => a.Record)], CancellationToken.None);
        for (var i = 0; i < accepted.Count; i++)
        {
            var (at, record) = accepted[i];
            results[at] = stored[i].Outcome switch
            {
                AppendOutcome.Created => new UsageBatchResult(at, record.Id, StatusCodes.Status201Created, "created", stored[i].Record.Pricing.Cost.TotalUsd, null),
                AppendOutcome.Duplicate => new UsageBatchResult(at, record.Id, StatusCodes.Status200OK, "duplicate", stored[i].Record.Pricing.Cost.TotalUsd, null),
                _ => new UsageBatchResult(at, record.Id, StatusCodes.Status409Conflict, "conflict", null, ConflictDetails(record.Id)),
            };
        }
    }

    /// <summary>Counts a batch's size and its items turned away (400 invalid, 409 conflict).</summary>
    public static void CountBatch(string route, UsageBatchResult[] results)
    {
        CatalogMetrics.BatchReceived(route, results.Length);
        CatalogMetrics.Rejected(route, CatalogMetrics.Reasons.Invalid, results.Count(r => r?.Status == StatusCodes.Status400BadRequest));
        CatalogMetrics.Rejected(route, CatalogMetrics.Reasons.Conflict, results.Count(r => r?.Status == StatusCodes.Status409Conflict));
    }

    /// <summary>The id of an item as sent, when it has one.</summary>
    public static string? Id(JsonElement item) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;

    private static IResult Conflict(string id)
    {
        var details = ConflictDetails(id);
        return TypedResults.Problem(statusCode: details.Status, title: details.Title, detail: details.Detail);
    }

    private static Microsoft.AspNetCore.Mvc.ProblemDetails ConflictDetails(string id) => new()
    {
        Status = StatusCodes.Status409Conflict,
        Title = "Another call has this id",
        Detail = $"A call with id '{id}' is already recorded with a different body. Ids are idempotency keys: retry with the exact same body, or give a new call a new id.",
        Type = "https://tools.ietf.org/html/rfc9110#section-15.5.10",
    };
}
