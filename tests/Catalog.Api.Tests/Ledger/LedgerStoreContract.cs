using System.Text.Json;
using Catalog.Api.Features.Cost;
using Catalog.Ledger;
using Catalog.Ledger.Budgets;
using Catalog.Pricing;

namespace Catalog.Api.Tests.Ledger;

/// <summary>The stores of one ledger, on the same data.</summary>
public sealed record LedgerStores(IUsageStore Usage, IKeyStore Keys, IEndpointEventStore Endpoints, IBudgetStore Budgets);

/// <summary>
/// What every ledger store (<see cref="IUsageStore"/>, <see cref="IKeyStore"/>, <see cref="IEndpointEventStore"/>)
/// must do, whatever holds the data. A store's test class derives from this and says how to open fresh
/// stores and how to open them again on the same data.
/// </summary>
public abstract class LedgerStoreContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    private LedgerStores? _stores;

    protected IUsageStore Store => _stores!.Usage;

    protected IKeyStore Keys => _stores!.Keys;

    protected IEndpointEventStore Endpoints => _stores!.Endpoints;

    protected IBudgetStore Budgets => _stores!.Budgets;

    /// <summary>New, empty stores.</summary>
    protected abstract Task<LedgerStores> OpenNewAsync();

    /// <summary>Closes the stores and opens them again on the same data (a restart).</summary>
    protected abstract Task<LedgerStores> ReopenAsync();

    protected abstract Task CloseAsync();

    /// <summary>Closes the stores and leaves their data as a build before the dimension rollups left it (LiteDB format 2, PostgreSQL before migration 10).</summary>
    protected abstract Task AsWrittenBeforeDimensionRollupsAsync();

    public async Task InitializeAsync() => _stores = await OpenNewAsync();

    public virtual Task DisposeAsync() => CloseAsync();

    /// <summary>Closes the stores and opens them again, as a restart of the process would.</summary>
    protected async Task RestartAsync() => _stores = await ReopenAsync();

    [StoreFact]
    public async Task A_new_id_is_created_the_same_body_again_is_a_duplicate_and_another_body_a_conflict()
    {
        var first = Record("a", total: 1m);
        var results = await Store.AppendAsync([first, Record("a", total: 1m), Record("a", total: 2m, fingerprint: "other")], default);

        Assert.Equal([AppendOutcome.Created, AppendOutcome.Duplicate, AppendOutcome.Conflict], results.Select(r => r.Outcome));
        Assert.All(results, r => Assert.Equivalent(first, r.Record, strict: true));
        Assert.Equivalent(first, await Store.FindAsync("a", default), strict: true);
    }

    [StoreFact]
    public async Task The_same_call_sent_twice_in_a_batch_or_at_once_is_created_once()
    {
        var call = Record("twice", total: 1m);
        var again = Record("again", total: 1m);

        var batch = await Store.AppendAsync([call, call], default);
        var concurrent = await Task.WhenAll(Store.AppendAsync([again], default), Store.AppendAsync([again], default));

        Assert.Equal([AppendOutcome.Created, AppendOutcome.Duplicate], batch.Select(r => r.Outcome));
        Assert.Equal([AppendOutcome.Created, AppendOutcome.Duplicate], concurrent.Select(r => r.Single().Outcome).Order());
        Assert.Equal(2, (await Store.SummarizeAsync(null, null, SummaryGrouping.Model, default)).Requests);
    }

    [StoreFact]
    public async Task An_id_stored_by_an_earlier_commit_is_recognised_and_the_rest_of_the_batch_is_stored()
    {
        await Store.AppendAsync([Record("a", total: 1m)], default);

        var results = await Store.AppendAsync([Record("b", total: 2m), Record("a", total: 1m), Record("a", total: 1m, fingerprint: "other"), Record("c", total: 3m)], default);

        Assert.Equal([AppendOutcome.Created, AppendOutcome.Duplicate, AppendOutcome.Conflict, AppendOutcome.Created], results.Select(r => r.Outcome));
        var summary = await Store.SummarizeAsync(null, null, SummaryGrouping.Model, default);
        Assert.Equal(3, summary.Requests);
        Assert.Equal(6m, summary.TotalUsd);
    }

    [StoreFact]
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

    [StoreFact]
    public async Task Token_sums_past_64_bits_are_exact_in_the_rollups_the_summary_and_after_a_restart()
    {
        // A store takes any 64-bit count (the API bounds a call to 10^12 of each kind); three at the 64-bit maximum on one rollup key
        // sum past it, as nine million calls at the API's bound would.
        var huge = new UsageCounts(long.MaxValue, long.MaxValue, long.MaxValue, long.MaxValue, 0);
        var records = Enumerable.Range(0, 3).Select(i => Record($"huge-{i}", total: 1_000_000m, reported: 1_000_000m, at: Day.AddMinutes(i)) with { Usage = huge }).ToArray();
        await Store.AppendAsync(records, default);
        var expected = 3m * long.MaxValue;

        foreach (var restarted in new[] { false, true })
        {
            if (restarted)
            {
                await RestartAsync();
            }

            var summary = await Store.SummarizeAsync(null, null, SummaryGrouping.User, default);
            Assert.Equal((expected, expected, expected, expected, 3_000_000m), (summary.InputTokens, summary.OutputTokens, summary.CacheReadTokens, summary.CacheWriteTokens, summary.TotalUsd));
            Assert.Equal(expected, Assert.Single(summary.Groups).InputTokens);
            Assert.Equal(expected, Assert.Single(summary.Trend).OutputTokens);
            var scanned = await UsageSummaryBuilder.BuildAsync(null, null, SummaryGrouping.Model, Store.StreamAsync(new UsageFilter(User: "ann"), default), default);
            Assert.Equal(expected, scanned.InputTokens);
        }

        var recalculated = await Store.RecalculateAsync(new UsageFilter(), r => r.Pricing with { Cost = Cost(2m) }, apply: true, default);
        Assert.Equal(3, recalculated.Changed);
        var after = await Store.SummarizeAsync(null, null, SummaryGrouping.Model, default);
        Assert.Equal((expected, 6m), (after.InputTokens, after.TotalUsd));
    }

    [StoreFact]
    public async Task Deleting_a_user_or_the_calls_before_a_time_takes_them_out_of_reads_and_rollups_and_survives_a_restart()
    {
        // 700 calls over several blocks (LiteDB writes 256 a block): every third is ann's, the first 200 are the oldest.
        var records = Enumerable.Range(0, 700).Select(i => Record($"d{i:D4}", total: 0.01m, at: Day.AddMinutes(i), user: i % 3 == 0 ? "ann" : "bob")).ToArray();
        await Store.AppendAsync(records[..300], default);
        await Store.AppendAsync(records[300..], default);

        Assert.Equal(records.Count(r => r.User == "ann"), await Store.DeleteAsync(new UsageFilter(User: "ann"), default));
        Assert.Equal(0, await Store.DeleteAsync(new UsageFilter(User: "ann"), default));
        var cutoff = Day.AddMinutes(200);
        Assert.Equal(records.Count(r => r.User != "ann" && r.Timestamp < cutoff), await Store.DeleteAsync(new UsageFilter(To: cutoff), default));
        var kept = records.Where(r => r.User != "ann" && r.Timestamp >= cutoff).ToArray();

        foreach (var restarted in new[] { false, true })
        {
            if (restarted)
            {
                await RestartAsync();
            }

            Assert.Equal(kept.Select(r => r.Id).Order(), (await ReadAllAsync(new UsageFilter())).Select(r => r.Id).Order());
            Assert.Null(await Store.FindAsync("d0003", default));
            Assert.NotNull(await Store.FindAsync("d0401", default));
            var summary = await Store.SummarizeAsync(null, null, SummaryGrouping.User, default);
            Assert.Equal((kept.Length, kept.Length * 0.01m), (summary.Requests, summary.TotalUsd));
            Assert.Equal(["bob"], summary.Groups.Select(g => g.Key));
        }

        Assert.Equal(AppendOutcome.Created, (await Store.AppendAsync([records[3]], default)).Single().Outcome);
        Assert.Equal(AppendOutcome.Created, (await Store.AppendAsync([Record("after-delete", total: 1m, at: Day.AddDays(1))], default)).Single().Outcome);
        Assert.Equal(kept.Length + 2, (await Store.SummarizeAsync(null, null, SummaryGrouping.User, default)).Requests);
    }

    [StoreFact]
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

    [StoreFact]
    public async Task Calls_are_found_by_the_key_they_were_recorded_with_and_calls_recorded_before_keys_have_none()
    {
        await Store.AppendAsync(
        [
            Record("k1-a", 1m, at: Day.AddHours(1)) with { KeyId = "k1" },
            Record("k2-a", 2m, at: Day.AddHours(2)) with { KeyId = "k2" },
            Record("k1-b", 3m, at: Day.AddHours(3)) with { KeyId = "k1" },
            Record("before-keys", 4m, at: Day.AddHours(4)),
        ], default);

        await RestartAsync();

        Assert.Equal(["k1-b", "k1-a"], (await Store.ListAsync(new UsageFilter(KeyId: "k1"), null, 10, default)).Items.Select(r => r.Id));
        Assert.Equal(["k2-a"], (await ReadAllAsync(new UsageFilter(Day, Day.AddDays(1), KeyId: "k2"))).Select(r => r.Id));
        Assert.Empty(await ReadAllAsync(new UsageFilter(KeyId: "admin")));
        Assert.Null((await Store.FindAsync("before-keys", default))!.KeyId);
        Assert.Equal("k1", (await Store.FindAsync("k1-a", default))!.KeyId);
    }

    [StoreFact]
    public async Task Ids_that_differ_only_in_case_are_different_calls()
    {
        var results = await Store.AppendAsync([Record("Call-A", 1m), Record("call-a", 2m, fingerprint: "other")], default);

        Assert.Equal([AppendOutcome.Created, AppendOutcome.Created], results.Select(r => r.Outcome));
        Assert.Equal(1m, (await Store.FindAsync("Call-A", default))!.Pricing.Cost.TotalUsd);
        Assert.Equal(2m, (await Store.FindAsync("call-a", default))!.Pricing.Cost.TotalUsd);
        Assert.Null(await Store.FindAsync("CALL-A", default));
    }

    [StoreFact]
    public async Task The_time_filter_is_from_inclusive_to_exclusive()
    {
        await Store.AppendAsync([Record("early", 1m, at: Day.AddHours(-1)), Record("start", 1m, at: Day), Record("end", 1m, at: Day.AddDays(1))], default);

        var page = await Store.ListAsync(new UsageFilter(From: Day, To: Day.AddDays(1)), null, 10, default);

        Assert.Equal(["start"], page.Items.Select(r => r.Id));
    }

    [StoreFact]
    public async Task A_cursor_the_store_did_not_give_is_refused()
    {
        await Assert.ThrowsAsync<FormatException>(() => Store.ListAsync(new UsageFilter(), "not-a-cursor", 10, default));
    }

    [StoreTheory]
    [InlineData(SummaryGrouping.Model)]
    [InlineData(SummaryGrouping.Provider)]
    [InlineData(SummaryGrouping.Day)]
    [InlineData(SummaryGrouping.User)]
    [InlineData(SummaryGrouping.Team)]
    [InlineData(SummaryGrouping.App)]
    [InlineData(SummaryGrouping.Endpoint)]
    [InlineData(SummaryGrouping.KeyId)]
    public async Task The_summary_equals_the_records_summed_for_every_grouping(SummaryGrouping groupBy)
    {
        var random = new Random(7);
        var records = Enumerable.Range(0, 300).Select(i => WithEndpointAndKey(random, Record(
            $"r{i}",
            total: random.Next(1, 10_000) / 10_000m,
            at: Day.AddHours(random.Next(0, 24 * 5)),
            model: random.Next(3) switch { 0 => "a", 1 => "b", _ => "c" },
            user: $"u{random.Next(4)}",
            team: $"t{random.Next(2)}",
            app: random.Next(3) == 0 ? null : $"app{random.Next(2)}",
            source: random.Next(4) == 0 ? PricingSource.Fallback : PricingSource.Exact,
            tokens: random.Next(5) == 0 ? TokenSource.Estimated : TokenSource.Actual))).ToArray();
        await Store.AppendAsync(records, default);
        var from = DateOnly.FromDateTime(Day.AddDays(1).UtcDateTime);
        var to = DateOnly.FromDateTime(Day.AddDays(4).UtcDateTime);

        var summary = await Store.SummarizeAsync(from, to, groupBy, default);

        var inRange = records.Where(r => r.Timestamp >= Day.AddDays(1) && r.Timestamp < Day.AddDays(4)).ToArray();
        Assert.Equal(inRange.Length, summary.Requests);
        Assert.Equal(inRange.Sum(r => r.Pricing.Cost.TotalUsd), summary.TotalUsd);
        Assert.Equal(inRange.Sum(r => r.Usage.InputTokens), summary.InputTokens);
        Assert.Equal(inRange.Count(r => r.Pricing.TokenSource == TokenSource.Estimated), summary.TokenSources.Estimated);
        var expected = inRange.GroupBy(r => UsageSummaryBuilder.GroupOf(r, groupBy))
            .ToDictionary(g => g.Key, g => (Requests: (long)g.Count(), Total: g.Sum(r => r.Pricing.Cost.TotalUsd)));
        Assert.Equal(expected, summary.Groups.ToDictionary(g => g.Key, g => (g.Requests, Total: g.TotalUsd)));
        Assert.Equal(inRange.Select(r => DateOnly.FromDateTime(r.Timestamp.UtcDateTime)).Distinct().Order(), summary.Trend.Select(d => d.Day));
        var fallbacks = inRange.Where(r => r.Pricing.PricingSource == PricingSource.Fallback).GroupBy(r => r.Model).ToDictionary(g => g.Key, g => (long)g.Count());
        Assert.Equal(fallbacks, summary.FallbackModels.ToDictionary(f => f.Model, f => f.Requests));
    }

    [StoreTheory]
    [InlineData(SummaryGrouping.Team, SummaryGrouping.Model)]
    [InlineData(SummaryGrouping.Day, SummaryGrouping.App)]
    [InlineData(SummaryGrouping.Model, SummaryGrouping.Provider)]
    [InlineData(SummaryGrouping.User, SummaryGrouping.Team)]
    public async Task The_summary_by_two_dimensions_equals_the_records_summed_per_pair(SummaryGrouping first, SummaryGrouping second)
    {
        var random = new Random(11);
        var records = Enumerable.Range(0, 200).Select(i => Record(
            $"p{i}",
            total: random.Next(1, 10_000) / 10_000m,
            at: Day.AddHours(random.Next(0, 24 * 3)),
            model: random.Next(3) switch { 0 => "a", 1 => "b", _ => "c" },
            user: $"u{random.Next(3)}",
            team: $"t{random.Next(2)}",
            app: random.Next(3) == 0 ? null : $"app{random.Next(2)}")).ToArray();
        await Store.AppendAsync(records, default);

        var summary = await Store.SummarizeAsync(null, null, first, second, default);

        string Name(SummaryGrouping g) => g.ToString().ToLowerInvariant();
        var expected = records.GroupBy(r => (A: UsageSummaryBuilder.GroupOf(RollupKey.Of(r), first), B: UsageSummaryBuilder.GroupOf(RollupKey.Of(r), second)))
            .ToDictionary(g => $"{g.Key.A} · {g.Key.B}", g => (Requests: (long)g.Count(), Total: g.Sum(r => r.Pricing.Cost.TotalUsd), A: g.Key.A, B: g.Key.B));
        Assert.Equal(expected, summary.Groups.ToDictionary(g => g.Key, g => (g.Requests, Total: g.TotalUsd, A: g.Keys![Name(first)], B: g.Keys![Name(second)])));
        Assert.Equal([Name(first), Name(second)], summary.GroupedBy);
        Assert.Equal(records.Length, summary.Requests);
    }

    [StoreFact]
    public async Task A_summary_over_a_range_follows_every_write_to_its_days_asked_again_and_again()
    {
        var from = DateOnly.FromDateTime(Day.UtcDateTime);
        var to = from.AddDays(2);
        async Task<(long Requests, decimal Total)> Summary()
        {
            var summary = await Store.SummarizeAsync(from, to, SummaryGrouping.Team, default);
            return (summary.Requests, summary.TotalUsd);
        }

        Assert.Equal((0L, 0m), await Summary());
        await Store.AppendAsync([Record("c1", 1m), Record("c2", 2m, at: Day.AddDays(1))], default);
        Assert.Equal((2L, 3m), await Summary());
        Assert.Equal((2L, 3m), await Summary());

        await Store.AppendAsync([Record("c3", 4m, at: Day.AddHours(5))], default);
        Assert.Equal((3L, 7m), await Summary());

        await Store.RecalculateAsync(new UsageFilter(), r => r.Id == "c1" ? r.Pricing with { Cost = Cost(10m) } : r.Pricing, apply: true, default);
        Assert.Equal((3L, 16m), await Summary());

        Assert.Equal(1, await Store.DeleteAsync(new UsageFilter(User: "bob"), default) + 1);
        await Store.AppendAsync([Record("c4", 8m, user: "bob", at: Day.AddDays(1))], default);
        Assert.Equal((4L, 24m), await Summary());
        Assert.Equal(1, await Store.DeleteAsync(new UsageFilter(User: "bob"), default));
        Assert.Equal((3L, 16m), await Summary());
        Assert.Equal((3L, 16m), await Summary());
    }

    [StoreFact]
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

    [StoreFact]
    public async Task A_record_reads_back_exactly_as_it_was_stored()
    {
        var sent = JsonDocument.Parse("""{"prompt_tokens": 1200, "completion_tokens":300, "z": [1, 2.50], "a": null}""").RootElement;
        var full = Record("full", total: 0.0000000000000000000000000001m) with
        {
            Timestamp = new DateTimeOffset(2026, 11, 20, 9, 59, 58, 123, TimeSpan.Zero),
            Provider = null,
            SentUsage = sent,
            UsageShape = "openai",
            Status = CallStatus.Error,
            LatencyMs = null,
            Endpoint = "chat",
            Tags = new Dictionary<string, string> { ["zeta"] = "1", ["alpha"] = "é \"quoted\"" },
            ReportedCostUsd = 0.000010000000000000001m,
            KeyId = "k-3f2c",
        };
        full = full with
        {
            Pricing = full.Pricing with { Cost = new UsageCost(1.10m, 79228162514264.337593543950m, 0.000001m, 0m, 0.0100m, 12345678901234567.8901234567m, 200_000) },
            Original = new OriginalPricing(full.Pricing with { ResolvedModel = null, Provider = null }, Day.AddDays(1).AddMilliseconds(7)),
        };
        var bare = Record("bare", 0m, user: null, team: null, app: null) with { Tags = new Dictionary<string, string>() };
        await Store.AppendAsync([full, bare], default);

        await RestartAsync();

        foreach (var expected in new[] { full, bare })
        {
            var stored = (await Store.FindAsync(expected.Id, default))!;
            Assert.Equivalent(expected with { SentUsage = null }, stored with { SentUsage = null }, strict: true);
            Assert.Equal(expected.SentUsage?.GetRawText(), stored.SentUsage?.GetRawText());
            Assert.Equal(expected.Tags.Keys, stored.Tags.Keys);
            Assert.Equal(expected.Pricing.Cost.OutputUsd.ToString(), stored.Pricing.Cost.OutputUsd.ToString());
        }

        Assert.Null(await Store.FindAsync("missing", default));
    }

    [StoreFact]
    public async Task Export_streams_every_matching_record_newest_first_matching_model_and_provider_as_sent_or_priced()
    {
        var records = Enumerable.Range(0, 30).Select(i => Record($"e{i:D2}", 1m, at: Day.AddMinutes(i % 11), model: i % 3 == 0 ? "alias-x" : "b")).ToArray();
        records[4] = records[4] with { Pricing = records[4].Pricing with { ResolvedModel = "alias-x", Provider = "q" } };
        await Store.AppendAsync(records, default);

        var byModel = await ReadAllAsync(new UsageFilter(Model: "alias-x"));
        var byPricedProvider = await ReadAllAsync(new UsageFilter(Provider: "q"));
        var all = await ReadAllAsync(new UsageFilter());

        var newestFirst = records.OrderByDescending(r => r.Timestamp).ThenByDescending(r => r.Id, StringComparer.Ordinal).ToArray();
        Assert.Equal(newestFirst.Where(r => r.Model == "alias-x" || r.Pricing.ResolvedModel == "alias-x").Select(r => r.Id), byModel.Select(r => r.Id));
        Assert.Equal(["e04"], byPricedProvider.Select(r => r.Id));
        Assert.Equal(newestFirst.Select(r => r.Id), all.Select(r => r.Id));
    }

    [StoreFact]
    public async Task A_time_filter_with_an_offset_means_the_same_instant()
    {
        await Store.AppendAsync([Record("before", 1m, at: Day.AddHours(9)), Record("after", 1m, at: Day.AddHours(11))], default);
        var tenUtcInParis = new DateTimeOffset(2026, 11, 20, 11, 0, 0, TimeSpan.FromHours(1));

        var page = await Store.ListAsync(new UsageFilter(From: tenUtcInParis), null, 10, default);
        var exported = await ReadAllAsync(new UsageFilter(To: tenUtcInParis));

        Assert.Equal(["after"], page.Items.Select(r => r.Id));
        Assert.Equal(["before"], exported.Select(r => r.Id));
    }

    [StoreFact]
    public async Task A_key_is_found_listed_and_revoked_once_and_survives_a_restart()
    {
        var created = new DateTimeOffset(2026, 11, 20, 8, 0, 0, 250, TimeSpan.Zero);
        var gateway = new ApiKeyRecord("k1", "gateway", ["ingest", "read"], [1, 2, 3, 4], 50, created, null);
        var reader = new ApiKeyRecord("k2", "reader", ["read"], [5, 6], null, created.AddMinutes(1), null);
        await Keys.CreateAsync(gateway, default);
        await Keys.CreateAsync(reader, default);

        Assert.True(await Keys.RevokeAsync("k1", created.AddHours(1), default));
        Assert.True(await Keys.RevokeAsync("k1", created.AddHours(2), default));
        Assert.False(await Keys.RevokeAsync("nope", created, default));

        await RestartAsync();

        Assert.Equivalent(gateway with { RevokedAt = created.AddHours(1) }, await Keys.FindAsync("k1", default), strict: true);
        Assert.Equivalent(reader, await Keys.FindAsync("k2", default), strict: true);
        Assert.Null(await Keys.FindAsync("k3", default));
        Assert.Equal(["k1", "k2"], (await Keys.ListAsync(default)).Select(k => k.Id));
    }

    [StoreFact]
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

    [StoreFact]
    public async Task Endpoint_usage_sums_the_tokens_of_the_calls_tagged_with_the_endpoint_in_the_range()
    {
        await Store.AppendAsync(
        [
            Record("e1", 1m, at: Day.AddHours(1)) with { Endpoint = "phi-4" },
            Record("e2", 1m, at: Day.AddHours(5)) with { Endpoint = "phi-4" },
            Record("e3", 1m, at: Day.AddHours(9)) with { Endpoint = "phi-4" },
            Record("other", 1m, at: Day.AddHours(2)) with { Endpoint = "mistral" },
            Record("none", 1m, at: Day.AddHours(3)),
        ], default);

        var usage = await Store.EndpointUsageAsync("phi-4", Day, Day.AddHours(9), default);
        var none = await Store.EndpointUsageAsync("phi-4", Day.AddDays(1), Day.AddDays(2), default);

        Assert.Equal(new EndpointUsage(2 * 1200, Day.AddHours(5)), usage);
        Assert.Equal(new EndpointUsage(0, null), none);
    }

    [StoreFact]
    public async Task Endpoint_usage_over_whole_and_partial_days_equals_the_calls_summed_and_follows_deletes_and_restarts()
    {
        var random = new Random(3);
        var records = Enumerable.Range(0, 400).Select(i => Record(
            $"s{i}",
            1m,
            at: Day.AddMinutes(random.Next(0, 4 * 24 * 60)).AddTicks(random.Next(0, 1000) * 10), // microseconds: what PostgreSQL keeps
            user: random.Next(5) == 0 ? "erase-me" : "ann") with
        {
            Endpoint = random.Next(3) switch { 0 => "phi-4", 1 => "mistral", _ => null },
            Usage = new UsageCounts(random.Next(0, 5000), random.Next(0, 900), 0, 0, 0),
        }).ToList();
        // Sums past 64 bits, on a whole day and on a part of one.
        records.Add(Record("huge-1", 1m, at: Day.AddDays(1).AddHours(6)) with { Endpoint = "phi-4", Usage = new UsageCounts(long.MaxValue, long.MaxValue, 0, 0, 0) });
        records.Add(Record("huge-2", 1m, at: Day.AddDays(1).AddHours(7)) with { Endpoint = "phi-4", Usage = new UsageCounts(long.MaxValue, 1, 0, 0, 0) });
        records.Add(Record("huge-3", 1m, at: Day.AddDays(3).AddHours(20)) with { Endpoint = "phi-4", Usage = new UsageCounts(long.MaxValue, 0, 0, 0, 0) });
        await Store.AppendAsync(records, default);
        (DateTimeOffset, DateTimeOffset)[] ranges =
        [
            (Day.AddHours(1), Day.AddDays(3).AddHours(5)),
            (Day, Day.AddDays(2)),
            (Day.AddHours(2), Day.AddHours(9)),
            (Day.AddHours(23), Day.AddDays(1).AddHours(1)),
            (Day.AddDays(-1), Day.AddDays(10)),
            (Day.AddDays(3), Day.AddDays(3).AddHours(23).AddMinutes(59)),
            (Day.AddDays(1).AddTicks(1), Day.AddDays(3).AddTicks(-1)),
            (Day.AddDays(5), Day.AddDays(6)),
        ];

        async Task AssertEqualToTheCallsAsync(IEnumerable<UsageRecord> stored)
        {
            foreach (var (from, to) in ranges)
            {
                var served = stored.Where(r => r.Endpoint == "phi-4" && r.Timestamp >= from && r.Timestamp < to).ToList();
                var expected = new EndpointUsage(served.Sum(r => (decimal)r.Usage.InputTokens + r.Usage.OutputTokens), served.Count == 0 ? null : served.Max(r => r.Timestamp));
                Assert.Equal(expected, await Store.EndpointUsageAsync("phi-4", from, to, default));
            }
        }

        await AssertEqualToTheCallsAsync(records);
        Assert.True((await Store.EndpointUsageAsync("phi-4", Day, Day.AddDays(4), default)).Tokens > long.MaxValue);

        await Store.DeleteAsync(new UsageFilter(User: "erase-me"), default);
        await RestartAsync();

        await AssertEqualToTheCallsAsync(records.Where(r => r.User != "erase-me"));
    }

    [StoreFact]
    public async Task A_ledger_written_before_the_dimension_rollups_has_them_built_from_its_calls()
    {
        var random = new Random(5);
        var records = Enumerable.Range(0, 600).Select(i => WithEndpointAndKey(random, Record($"old{i}", random.Next(1, 1000) / 1000m, at: Day.AddMinutes(random.Next(0, 3 * 24 * 60))))).ToArray();
        await Store.AppendAsync(records, default);

        await AsWrittenBeforeDimensionRollupsAsync();
        await RestartAsync();
        await Store.AppendAsync([Record("new", 2m, at: Day.AddHours(1)) with { Endpoint = "phi-4", KeyId = "k1" }], default);

        var all = records.Append((await Store.FindAsync("new", default))!).ToArray();
        foreach (var dimension in new[] { SummaryGrouping.Endpoint, SummaryGrouping.KeyId })
        {
            var summary = await Store.SummarizeAsync(null, null, dimension, default);
            var expected = all.GroupBy(r => UsageSummaryBuilder.GroupOf(r, dimension)).ToDictionary(g => g.Key, g => (Requests: (long)g.Count(), Total: g.Sum(r => r.Pricing.Cost.TotalUsd)));
            Assert.Equal(expected, summary.Groups.ToDictionary(g => g.Key, g => (g.Requests, Total: g.TotalUsd)));
        }

        var served = all.Where(r => r.Endpoint == "phi-4").ToList();
        Assert.Equal(new EndpointUsage(served.Sum(r => (decimal)r.Usage.InputTokens + r.Usage.OutputTokens), served.Max(r => r.Timestamp)), await Store.EndpointUsageAsync("phi-4", Day, Day.AddDays(3), default));
    }

    [StoreFact]
    public async Task Endpoint_events_are_not_stored_twice_even_within_one_batch()
    {
        var running = new EndpointEvent(Day, EndpointStatus.Running, 1);
        Assert.Equal(1, await Endpoints.AppendAsync("phi-4", [running, running], default));
        Assert.Equal(0, await Endpoints.AppendAsync("phi-4", [running with { At = Day.ToOffset(TimeSpan.FromHours(2)) }], default));
        Assert.Equal(1, await Endpoints.AppendAsync("phi-4", [running with { Replicas = 2 }], default));
        Assert.Equal(1, await Endpoints.AppendAsync("mistral-7b-instruct", [running], default));
        Assert.Equal(2, (await Endpoints.ListAsync("phi-4", DateTimeOffset.MaxValue, default)).Count);
    }

    [StoreFact]
    public async Task Endpoint_events_come_back_in_arrival_order_before_the_given_time_to_the_tick()
    {
        var late = new EndpointEvent(Day.AddTicks(1), EndpointStatus.Paused, 0);
        var early = new EndpointEvent(Day.AddMilliseconds(-0.5), EndpointStatus.Running, 1);
        var future = new EndpointEvent(Day.AddHours(1), EndpointStatus.Running, 1);
        await Endpoints.AppendAsync("phi-4", [late, early, future], default);

        Assert.Equal([late, early], await Endpoints.ListAsync("phi-4", Day.AddMinutes(1), default));
    }

    [StoreFact]
    public async Task Endpoint_events_and_their_order_survive_a_restart()
    {
        var first = new EndpointEvent(Day, EndpointStatus.Running, 1);
        var second = new EndpointEvent(Day, EndpointStatus.Paused, 0);
        await Endpoints.AppendAsync("phi-4", [first], default);
        await Endpoints.AppendAsync("phi-4", [second], default);

        await RestartAsync();
        var third = new EndpointEvent(Day, EndpointStatus.Running, 2);
        await Endpoints.AppendAsync("phi-4", [third, first], default);

        Assert.Equal([first, second, third], await Endpoints.ListAsync("phi-4", DateTimeOffset.MaxValue, default));
    }

    [StoreFact]
    public async Task A_monthly_budget_counts_its_utc_month_only_even_the_calls_before_it_was_created()
    {
        var november = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        await Store.AppendAsync(
        [
            Record("oct-last", 1000m, at: november.AddTicks(-1), team: "search"),
            Record("nov-first", 10m, at: november, team: "search"),
            Record("nov-3", 20m, at: november.AddDays(2).AddHours(5), team: "search"),
            Record("nov-3-other-team", 7m, at: november.AddDays(2), team: "research"),
            Record("nov-last", 30m, at: november.AddMonths(1).AddTicks(-1), team: "search"),
            Record("dec-first", 1000m, at: november.AddMonths(1), team: "search"),
        ], default);
        var created = november.AddDays(14).AddHours(12);
        var budget = new Budget("b", "search-monthly", BudgetPeriod.Monthly, 100m, new BudgetScope("team", "search"), 0.8m, created, "api");
        var tracker = new BudgetTracker(Store);

        var midMonth = await tracker.StatusAsync(budget, created, default);
        Assert.Equal((november, november.AddMonths(1)), (midMonth.PeriodStart, midMonth.PeriodEnd));
        Assert.Equal(60m, midMonth.SpentUsd);
        Assert.Equal(40m, midMonth.RemainingUsd);
        Assert.Equal(0.6m, midMonth.SpentShare);
        Assert.Equal(120m, midMonth.ForecastUsd);
        Assert.Equal(BudgetMath.MonthlyMethod, midMonth.ForecastMethod);
        Assert.Equal(BudgetState.Ok, midMonth.State);

        var lastInstant = await tracker.StatusAsync(budget, november.AddMonths(1).AddTicks(-1), default);
        Assert.Equal((60m, 60m, BudgetState.Ok), (lastInstant.SpentUsd, lastInstant.ForecastUsd, lastInstant.State));

        var december = await tracker.StatusAsync(budget, november.AddMonths(1), default);
        Assert.Equal((november.AddMonths(1), 1000m, -900m, BudgetState.Exceeded), (december.PeriodStart, december.SpentUsd, december.RemainingUsd, december.State));
        Assert.Equal(31_000m, december.ForecastUsd);
    }

    [StoreFact]
    public async Task A_period_without_calls_is_ok_with_nothing_spent_or_forecast()
    {
        await Store.AppendAsync([Record("yesterday", 5m, at: Day.AddHours(-1), team: "search")], default);
        var daily = new Budget("d", "search-daily", BudgetPeriod.Daily, 10m, new BudgetScope("team", "search"), 0.5m, Day, "api");

        var status = await new BudgetTracker(Store).StatusAsync(daily, Day.AddHours(9).AddMinutes(30), default);

        Assert.Equal((Day, Day.AddDays(1)), (status.PeriodStart, status.PeriodEnd));
        Assert.Equal((0m, 10m, 0m, 0m, BudgetState.Ok), (status.SpentUsd, status.RemainingUsd, status.SpentShare, status.ForecastUsd, status.State));
        Assert.Equal(BudgetMath.DailyMethod, status.ForecastMethod);
    }

    [StoreFact]
    public async Task Budgets_count_a_user_app_model_provider_tag_or_endpoint_and_warn_from_their_share()
    {
        var tagged = Record("tagged", 3m, at: Day.AddHours(2), user: "bob", app: "slack");
        await Store.AppendAsync(
        [
            Record("a", 4m, at: Day.AddHours(1), model: "openai/gpt-4o"),
            tagged with { Endpoint = "phi-4", Tags = new Dictionary<string, string> { ["feature"] = "summaries" }, KeyId = "k-gateway" },
            Record("other-key", 0.5m, at: Day.AddHours(3)) with { KeyId = "k-batch" },
            Record("no-key", 0.25m, at: Day.AddHours(4)),
        ], default);
        var tracker = new BudgetTracker(Store);
        var now = Day.AddHours(5).AddMinutes(59);
        Budget Daily(string dimension, string value) => new(dimension, dimension, BudgetPeriod.Daily, 5m, new BudgetScope(dimension, value), 0.7m, Day, "api");

        var statuses = await tracker.StatusAsync(
            [Daily("user", "bob"), Daily("app", "web"), Daily("model", "openai/gpt-4o"), Daily("provider", "p"), Daily("tag", "feature:summaries"), Daily("endpoint", "phi-4"), Daily("team", "nobody"), Daily("key_id", "k-gateway")],
            now,
            default);

        Assert.Equal([3m, 4.75m, 4m, 7.75m, 3m, 3m, 0m, 3m], statuses.Select(s => s.SpentUsd));
        Assert.Equal([BudgetState.Ok, BudgetState.Warning, BudgetState.Warning, BudgetState.Exceeded, BudgetState.Ok, BudgetState.Ok, BudgetState.Ok, BudgetState.Ok], statuses.Select(s => s.State));
        Assert.Equal(31m, statuses[3].ForecastUsd);
    }

    [StoreFact]
    public async Task Budgets_are_kept_across_a_restart_and_deleted_once()
    {
        var budget = new Budget("kept", "search-monthly", BudgetPeriod.Monthly, 500.25m, new BudgetScope("tag", "feature:search"), 0.75m, Day.AddMinutes(3), "api");
        await Budgets.AddAsync(budget, default);

        await RestartAsync();

        Assert.Equal(budget, await Budgets.FindAsync("kept", default));
        Assert.Equal([budget], await Budgets.ListAsync(default));
        Assert.True(await Budgets.DeleteAsync("kept", default));
        Assert.False(await Budgets.DeleteAsync("kept", default));
        Assert.Null(await Budgets.FindAsync("kept", default));
    }

    [StoreFact]
    public async Task The_rollups_keep_the_service_tier_and_region_of_each_call()
    {
        var records = TieredRecords();
        await Store.AppendAsync(records, default);
        await RestartAsync();

        await AssertSummariesByTierAndRegionAsync(records);
    }

    /// <summary>Calls over two days in the standard tier (sent without one, or as default or auto), batch and flex, with and without a region.</summary>
    protected static UsageRecord[] TieredRecords()
    {
        string?[] tiers = [null, "batch", "default", "flex", "auto", "batch"];
        string?[] regions = [null, "us", "eu", null];
        return [.. Enumerable.Range(0, 60).Select(i => Record($"tiered-{i:D2}", 0.25m * (i % 7), at: Day.AddHours(i), model: i % 2 == 0 ? "a" : "b", user: i % 3 == 0 ? "ann" : "bob")
            with { ServiceTier = tiers[i % tiers.Length], Region = regions[i % regions.Length] })];
    }

    /// <summary>
    /// The store's summaries by service tier, by region and by pairs with them (read from its rollups: no filter)
    /// are those of the records counted one by one: the standard tier for none, default and auto; "" for no region.
    /// </summary>
    protected async Task AssertSummariesByTierAndRegionAsync(IReadOnlyList<UsageRecord> records)
    {
        static string Tier(UsageRecord r) => r.ServiceTier is null or "default" or "auto" ? "standard" : r.ServiceTier;
        static string Region(UsageRecord r) => r.Region ?? string.Empty;
        (string Key, long Requests, decimal TotalUsd)[] Expected(Func<UsageRecord, string> key) =>
            [.. records.GroupBy(key).Select(g => (g.Key, (long)g.Count(), g.Sum(r => r.Pricing.Cost.TotalUsd))).OrderBy(g => g.Key, StringComparer.Ordinal)];
        static (string Key, long Requests, decimal TotalUsd)[] Groups(UsageSummary summary) =>
            [.. summary.Groups.Select(g => (g.Key, g.Requests, g.TotalUsd)).OrderBy(g => g.Key, StringComparer.Ordinal)];

        var byTier = await Store.SummarizeAsync(null, null, SummaryGrouping.ServiceTier, default);
        Assert.Equal(Expected(Tier), Groups(byTier));
        Assert.Equal(["batch", "flex", "standard"], Groups(byTier).Select(g => g.Key));
        Assert.Equal(Expected(Region), Groups(await Store.SummarizeAsync(DateOnly.FromDateTime(Day.UtcDateTime), DateOnly.FromDateTime(Day.AddDays(3).UtcDateTime), SummaryGrouping.Region, default)));
        Assert.Equal(Expected(r => r.CountedModel + UsageSummaryBuilder.PairSeparator + Tier(r)), Groups(await Store.SummarizeAsync(null, null, SummaryGrouping.Model, SummaryGrouping.ServiceTier, default)));
        Assert.Equal(Expected(r => Tier(r) + UsageSummaryBuilder.PairSeparator + Region(r)), Groups(await Store.SummarizeAsync(null, null, SummaryGrouping.ServiceTier, SummaryGrouping.Region, default)));
        Assert.Equal(Expected(r => r.User!), Groups(await Store.SummarizeAsync(null, null, SummaryGrouping.User, default)));
        Assert.Equal(records.Sum(r => r.Pricing.Cost.TotalUsd), byTier.TotalUsd);
    }
    /// <summary>The record on one of two endpoints or none, recorded with one of two keys or none.</summary>
    private static UsageRecord WithEndpointAndKey(Random random, UsageRecord record) => record with
    {
        Endpoint = random.Next(3) switch { 0 => "phi-4", 1 => "mistral", _ => null },
        KeyId = random.Next(3) switch { 0 => "k1", 1 => "admin", _ => null },
    };

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

    protected static UsageCost Cost(decimal total) => new(total, 0, 0, 0, 0, total, null);
}
