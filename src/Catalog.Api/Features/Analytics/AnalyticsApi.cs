using Catalog.Api.Features.Keys;
using Catalog.Api.Features.Usage;
using Catalog.Api.Http;
using Catalog.Ledger;

namespace Catalog.Api.Features.Analytics;

public static class AnalyticsApi
{
    public static IEndpointRouteBuilder MapAnalytics(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/analytics/summary", GetSummary)
            .RequireAuthorization(ApiKeys.Read)
            .RequireRateLimiting(ApiKeys.RateLimitPolicy)
            .WithTags("Analytics")
            .WithName("GetUsageSummary")
            .WithSummary("What was spent, on what, by whom: totals, cost per group, tokens per day, estimated share, fallback-priced models, models whose reported cost differs from our price by more than 1%")
            .WithDescription("from (inclusive) and to (exclusive) are whole UTC days. Read from rollups kept with the records, so it answers in milliseconds over millions of calls.")
            .Produces<UsageSummary>()
            .ProducesValidationProblem();
        return app;
    }

    public static async Task<IResult> GetSummary(HttpRequest request, IUsageStore store, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var from = UsageQuery.ReadDay(request, "from", errors);
        var to = UsageQuery.ReadDay(request, "to", errors);
        var groupBy = GroupBy(UsageQuery.Text(request, "group_by"), errors);
        if (from is not null && to is not null && from >= to)
        {
            PricingRequestReader.Add(errors, "to", "'to' must be a later day than 'from' (from is inclusive, to exclusive)");
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        return TypedResults.Ok(await store.SummarizeAsync(from, to, groupBy, cancellationToken));
    }

    private static SummaryGrouping GroupBy(string? text, Dictionary<string, string[]> errors)
    {
        if (text is null)
        {
            return SummaryGrouping.Model;
        }

        if (Enum.TryParse<SummaryGrouping>(text, ignoreCase: true, out var groupBy) && Enum.IsDefined(groupBy) && !char.IsDigit(text[0]))
        {
            return groupBy;
        }

        PricingRequestReader.Add(errors, "group_by", $"'group_by' is '{text}'; send one of model, provider, day, user, team, app");
        return SummaryGrouping.Model;
    }
}
