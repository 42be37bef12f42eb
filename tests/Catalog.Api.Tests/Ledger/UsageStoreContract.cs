using Catalog.Api.Features.Cost;
using Catalog.Api.Storage;
using Catalog.Pricing;

namespace Catalog.Api.Tests.Ledger;

/// <summary>
/// What every <see cref="IUsageStore"/> must do, whatever holds the data. A store's test class derives
/// from this and says how to open a fresh store and how to open it again on the same data.
/// </summary>
public abstract class UsageStoreContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    private IUsageStore? _store;

    protected IUsageStore Store => _store!;

    /// <summary>A new, empty store.</summary>
    protected abstract Task<IUsageStore> OpenNewAsync();

    /// <summary>Closes the store and opens it again on the same data (a restart).</summary>
    protected abstract Task<IUsageStore> ReopenAsync();

    protected abstract Task CloseAsync();

    public async Task InitializeAsync() => _store = await OpenNewAsync();

    public virtual Task DisposeAsync() => CloseAsync();

    /// <summary>Closes the store and opens it again, as a restart of the process would.</summary>
    protected async Task RestartAsync() => _store = await ReopenAsync();

    [Fact]
    public async Task A_new_id_is_created_the_same_body_again_is_a_duplicate_and_another_body_a_conflict()
    {
        var first = Record("a", total: 1m);
        var results = await Store.AppendAsync([first, Record("a", total: 1m), Record("a", total: 2m, fingerprint: "other")], default);

        Assert.Equal([AppendOutcome.Created, AppendOutcome.Duplicate, AppendOutcome.Conflict], results.Select(r => r.Outcome));
        Assert.All(results, r => Assert.Equivalent(first, r.Record, strict: true));
        Assert.Equivalent(first, await Store.FindAsync("a", default), strict: true);
    }

    [Fact]
    public async Task An_id_stored_by_an_earlier_commit_is_recognised_and_the_rest_of_the_batch_is_stored()
    {
        await Store.AppendAsync([Record("a", total: 1m)], default);

        var results = await Store.AppendAsync([Record("b", total: 2m), Record("a", total: 1m), Record("a", total: 1m, fingerprint: "other"), Record("c", total: 3m)], default);

        Assert.Equal([AppendOutcome.Created, AppendOutcome.Duplicate, AppendOutcome.Conflict, AppendOutcome.Created], results.Select(r => r.Outcome));
        var summary = await Store.SummarizeAsync(null, null, SummaryGrouping.Model, default);
        Assert.Equal(3, summary.Requests);
        Assert.Equal(6m, summary.TotalUsd);
    }

    [Fact]
    public async Task Concurrent_appends_are_each_stored_once_and_survive_a_restart()
    {
        var records = Enumerable.Range(0, 400).Select(i => Record($"r{i:D4}", total: 0.001m * i, at: Day.AddMinutes(i))).ToArray();
        var results = await Task.WhenAll(records.Select(r => Store.AppendAsync([r], default)));
        Assert.All(results, r => Assert.Equal(AppendOutcome.Created, r.Single().Outcome));

        await RestartAsync();

        var stored = await ReadAllAsync(new UsageFilter());
        Assert.Equal(records.Select(r => r.Id).Order(), stored.Select(r => r.Id).Order());
        var summary = await Store.SummarizeAsync(null, null, SummaryGrouping.Day, default);
        Assert.Equal(400, summary.Requests);
        Assert.Equal(records.Sum(r => r.Pricing.Cost.TotalUsd), summary.TotalUsd);
    }

    [Fact]
    public async Task Pages_run_newest_first_without_gaps_or_repeats_and_honour_the_filter()
    {
        var records = Enumerable.Range(0, 25).Select(i => Record($"r{i:D2}", total: 1m, at: Day.AddMinutes(i % 7), user: i % 2 == 0 ? "ann" : "bob")).ToArray();
        await Store.AppendAsync(records, default);

        var seen = new List<UsageRecord>();
        string? cursor = null;
        do
        {
            var page = await Store.ListAsync(new UsageFilter(User: "ann"), cursor, 4, default);
            Assert.True(page.Items.Count <= 4);
            seen.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        var expected = records.Where(r => r.User == "ann").OrderByDescending(r => r.Timestamp).ThenByDescending(r => r.Id, StringComparer.Ordinal).Select(r => r.Id);
        Assert.Equal(expected, seen.Select(r => r.Id));
    }

    [Fact]
    public async Task The_time_filter_is_from_inclusive_to_exclusive()
    {
        await Store.AppendAsync([Record("early", 1m, at: Day.AddHours(-1)), Record("start", 1m, at: Day), Record("end", 1m, at: Day.AddDays(1))], default);

        var page = await Store.ListAsync(new UsageFilter(From: Day, To: Day.AddDays(1)), null, 10, default);

        Assert.Equal(["start"], page.Items.Select(r => r.Id));
    }

    [Fact]
    public async Task A_cursor_the_store_did_not_give_is_refused()
    {
        await Assert.ThrowsAsync<FormatException>(() => Store.ListAsync(new UsageFilter(), "not-a-cursor", 10, default));
    }

    [Theory]
    [InlineData(SummaryGrouping.Model)]
    [InlineData(SummaryGrouping.Provider)]
    [InlineData(SummaryGrouping.Day)]
    [InlineData(SummaryGrouping.User)]
    [InlineData(SummaryGrouping.Team)]
    [InlineData(SummaryGrouping.App)]
    public async Task The_summary_equals_the_records_summed_for_every_grouping(SummaryGrouping groupBy)
    {
        var random = new Random(7);
        var records = Enumerable.Range(0, 300).Select(i => Record(
            $"r{i}",
            total: random.Next(1, 10_000) / 10_000m,
            at: Day.AddHours(random.Next(0, 24 * 5)),
            model: random.Next(3) switch { 0 => "a", 1 => "b", _ => "c" },
            user: $"u{random.Next(4)}",
            team: $"t{random.Next(2)}",
            app: random.Next(3) == 0 ? null : $"app{random.Next(2)}",
            source: random.Next(4) == 0 ? PricingSource.Fallback : PricingSource.Exact,
            tokens: random.Next(5) == 0 ? TokenSource.Estimated : TokenSource.Actual)).ToArray();
        await Store.AppendAsync(records, default);
        var from = DateOnly.FromDateTime(Day.AddDays(1).UtcDateTime);
        var to = DateOnly.FromDateTime(Day.AddDays(4).UtcDateTime);

        var summary = await Store.SummarizeAsync(from, to, groupBy, default);

        var inRange = records.Where(r => r.Timestamp >= Day.AddDays(1) && r.Timestamp < Day.AddDays(4)).ToArray();
        Assert.Equal(inRange.Length, summary.Requests);
        Assert.Equal(inRange.Sum(r => r.Pricing.Cost.TotalUsd), summary.TotalUsd);
        Assert.Equal(inRange.Sum(r => r.Usage.InputTokens), summary.InputTokens);
        Assert.Equal(inRange.Count(r => r.Pricing.TokenSource == TokenSource.Estimated), summary.TokenSources.Estimated);
        var expected = inRange.GroupBy(r => UsageSummaryBuilder.GroupOf(RollupKey.Of(r), groupBy))
            .ToDictionary(g => g.Key, g => (Requests: (long)g.Count(), Total: g.Sum(r => r.Pricing.Cost.TotalUsd)));
        Assert.Equal(expected, summary.Groups.ToDictionary(g => g.Key, g => (g.Requests, Total: g.TotalUsd)));
        Assert.Equal(inRange.Select(r => DateOnly.FromDateTime(r.Timestamp.UtcDateTime)).Distinct().Order(), summary.Trend.Select(d => d.Day));
        var fallbacks = inRange.Where(r => r.Pricing.PricingSource == PricingSource.Fallback).GroupBy(r => r.Model).ToDictionary(g => g.Key, g => (long)g.Count());
        Assert.Equal(fallbacks, summary.FallbackModels.ToDictionary(f => f.Model, f => f.Requests));
    }

    [Fact]
    public async Task Recalculation_reports_then_applies_new_prices_keeping_the_original_and_moving_the_rollups()
    {
        await Store.AppendAsync([Record("old", 1m, model: "a"), Record("same", 2m, model: "a"), Record("other-day", 1m, model: "a", at: Day.AddDays(-3))], default);
        UsagePricing Reprice(UsageRecord r) => r.Id == "same" ? r.Pricing : r.Pricing with { ResolvedModel = "p/b", Cost = Cost(5m), CatalogVersion = "v2" };
        var filter = new UsageFilter(From: Day);

        var dryRun = await Store.RecalculateAsync(filter, Reprice, apply: false, default);
        Assert.Equal(new RecalculationResult(2, 1, 1m, 5m, 4m), dryRun);
        Assert.Equal(1m, (await Store.FindAsync("old", default))!.Pricing.Cost.TotalUsd);

        var applied = await Store.RecalculateAsync(filter, Reprice, apply: true, default);
        Assert.Equal(dryRun, applied);
        var changed = (await Store.FindAsync("old", default))!;
        Assert.Equal(5m, changed.Pricing.Cost.TotalUsd);
        Assert.Equal("v2", changed.Pricing.CatalogVersion);
        Assert.Equal(1m, changed.Original!.Pricing.Cost.TotalUsd);
        Assert.Equal("v1", changed.Original.Pricing.CatalogVersion);

        var summary = await Store.SummarizeAsync(null, null, SummaryGrouping.Model, default);
        Assert.Equal(8m, summary.TotalUsd);
        Assert.Equal([("a", 2L, 3m), ("p/b", 1L, 5m)], summary.Groups.Select(g => (g.Key, g.Requests, g.TotalUsd)).OrderBy(g => g.Key));

        Assert.Equal(0, (await Store.RecalculateAsync(filter, Reprice, apply: true, default)).Changed);
        Assert.Equal(1m, (await Store.FindAsync("old", default))!.Original!.Pricing.Cost.TotalUsd);
    }

    [Fact]
    public async Task Reported_costs_are_compared_per_model_and_a_model_more_than_1_percent_off_is_listed()
    {
        await Store.AppendAsync(
        [
            Record("over-1", 1.00m, model: "wrong", reported: 0.90m),
            Record("over-2", 1.00m, model: "wrong", reported: 0.90m, at: Day.AddDays(1), user: "bob"),
            Record("unreported", 5m, model: "wrong"),
            Record("within", 1.00m, model: "right", reported: 0.995m),
            Record("unpriced", 0.5m, model: "unknown-to-them", reported: 0m),
        ], default);

        await RestartAsync();

        Assert.Equal(0.90m, (await Store.FindAsync("over-1", default))!.ReportedCostUsd);
        Assert.Null((await Store.FindAsync("unreported", default))!.ReportedCostUsd);
        var summary = await Store.SummarizeAsync(null, null, SummaryGrouping.User, default);
        Assert.Equal(
            [new ReportedCostMismatch("unknown-to-them", 1, 0.5m, 0m, null), new ReportedCostMismatch("wrong", 2, 2m, 1.8m, 11.11m)],
            summary.ReportedCostMismatches);
        var firstDay = await Store.SummarizeAsync(null, DateOnly.FromDateTime(Day.UtcDateTime).AddDays(1), SummaryGrouping.Model, default);
        Assert.Contains(new ReportedCostMismatch("wrong", 1, 1m, 0.9m, 11.11m), firstDay.ReportedCostMismatches);

        await Store.RecalculateAsync(new UsageFilter(Model: "wrong"), r => r.Pricing with { Cost = Cost(0.9m) }, apply: true, default);

        Assert.Equal(["unknown-to-them"], (await Store.SummarizeAsync(null, null, SummaryGrouping.Model, default)).ReportedCostMismatches.Select(m => m.Model));
    }

    protected async Task<List<UsageRecord>> ReadAllAsync(UsageFilter filter)
    {
        var all = new List<UsageRecord>();
        await foreach (var record in Store.StreamAsync(filter, default))
        {
            all.Add(record);
        }

        return all;
    }

    protected static UsageRecord Record(
        string id,
        decimal total,
        DateTimeOffset? at = null,
        string model = "a",
        string? user = "ann",
        string? team = "t",
        string? app = "web",
        string fingerprint = "fp",
        PricingSource source = PricingSource.Exact,
        TokenSource tokens = TokenSource.Actual,
        decimal? reported = null) => new(
            id,
            at ?? Day.AddHours(10),
            model,
            "p",
            new UsageCounts(1000, 200, 100, 0, 0),
            "canonical",
            null,
            CallStatus.Success,
            100,
            user,
            team,
            app,
            null,
            new Dictionary<string, string> { ["feature"] = "x" },
            new UsagePricing(source == PricingSource.Fallback ? null : model, "p", source, tokens, Cost(total), "v1"),
            null,
            Day,
            fingerprint,
            reported);

    private static UsageCost Cost(decimal total) => new(total, 0, 0, 0, 0, total, null);
}
