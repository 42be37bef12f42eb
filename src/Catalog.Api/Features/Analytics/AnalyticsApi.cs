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
            .WithDescription("from (inclusive) and to (exclusive) are whole UTC days. limit (default 100, at most 10,000) bounds groups, fallback_models and reported_cost_mismatches; the groups past it are summed in other. Without filters it is read from rollups kept with the records, so it answers in milliseconds over millions of calls; a filter (model, provider, user, team, app, tag, key_id, status) counts the matching calls themselves, and so does group_by=tag:<key> (the calls' tags.key). group_by=service_tier or region reads the rollups like the other dimensions (standard, and an empty region, for calls sent without one), and group_by=endpoint or key_id reads rollups kept per day and value of each; two dimensions (group_by=team,model) give each group keys naming both.")
            .AcceptsQuery<SummaryQuery>()
            .Produces<UsageSummary>()
            .ProducesValidationProblem();
        return app;
    }

    public static async Task<IResult> GetSummary([AsParameters] SummaryQuery query, IUsageStore store, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var (from, to, groupBy, filter, limit) = query.Read(errors);
        if (filter is null || errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        if (groupBy.Second is { } then)
        {
            // Pairs of rollup dimensions come from the rollups; under a filter, or with the endpoint or key id (which
            // the rollups do not keep), the calls of the range are counted.
            var pairs = filter.IsTimeOnly && UsageSummaryBuilder.InRollups(groupBy.First) && UsageSummaryBuilder.InRollups(then)
                ? await store.SummarizeAsync(from, to, groupBy.First, then, cancellationToken)
                : await UsageSummaryBuilder.BuildPairsAsync(from, to, groupBy.First, then, store.StreamAsync(filter, cancellationToken), cancellationToken);
            return TypedResults.Ok(UsageSummaryBuilder.Limit(pairs, limit));
        }

        if (!groupBy.IsRollup)
        {
            // Tags, endpoints and key ids are not kept in the rollups: the calls of the range are counted.
            var grouped = await UsageSummaryBuilder.BuildAsync(from, to, groupBy.First, store.StreamAsync(filter, cancellationToken), groupBy.KeyOf, cancellationToken);
            return TypedResults.Ok(UsageSummaryBuilder.Limit(grouped with { GroupedBy = groupBy.Names }, limit));
        }

        var summary = filter.IsTimeOnly
            ? await store.SummarizeAsync(from, to, groupBy.First, cancellationToken)
            : await UsageSummaryBuilder.BuildAsync(from, to, groupBy.First, store.StreamAsync(filter, cancellationToken), groupBy.KeyOf, cancellationToken);
        return TypedResults.Ok(UsageSummaryBuilder.Limit(summary, limit));
    }
}
