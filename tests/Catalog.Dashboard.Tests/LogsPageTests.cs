using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;

namespace Catalog.Dashboard.Tests;

/// <summary>The usage logs, the dashboard's range and filters in the URL, drill-down and money as people read it, in a real browser.</summary>
[Collection(DashboardCollection.Name)]
public sealed class LogsPageTests(DashboardFixture api)
{
    private static readonly LocatorAssertionsToHaveTextOptions Wait = new() { Timeout = 15_000 };

    [Fact]
    public async Task Filters_in_the_url_show_the_same_calls_as_the_api_newest_first_and_page_with_the_cursor()
    {
        var (from, last) = Week();
        await using var session = await api.SignInAsync(1280, 900, $"/dashboard/logs?from={from}&to={last}&team=research");
        var page = session.Page;

        Assert.Equal("research", await page.InputValueAsync("#f-team"));
        Assert.Equal(from, await page.InputValueAsync("#f-from"));
        var expected = await AllIdsAsync($"from={from}&to={Next(last)}&team=research");
        Assert.True(expected.Count > 0);
        Assert.Equal(expected.Take(50), await ShownIdsAsync(page));

        var all = await AllIdsAsync($"from={from}&to={Next(last)}");
        Assert.True(all.Count > 50, "the seed has more than one page of calls");
        await page.ClickAsync("#clear-filters");
        await page.FillAsync("#f-from", from);
        await page.FillAsync("#f-to", last);
        await page.ClickAsync("#filters button[type=submit]");
        await Assertions.Expect(page.Locator("#calls tbody tr")).ToHaveCountAsync(50);
        Assert.Equal($"/dashboard/logs?from={from}&to={last}", new Uri(page.Url).PathAndQuery);
        await page.ClickAsync("#more");
        await Assertions.Expect(page.Locator("#calls tbody tr")).ToHaveCountAsync(all.Count);
        Assert.Equal(all, await ShownIdsAsync(page));
        Assert.True(await page.Locator("#more").IsHiddenAsync());
        session.AssertNoErrors();
    }

    [Fact]
    public async Task The_main_dashboard_counts_only_the_calls_its_url_filters_and_its_links_keep_the_filters()
    {
        var (from, last) = Week();
        await using var session = await api.SignInAsync(1280, 900, "/dashboard?range=7d&team=research&status=success");
        var page = session.Page;
        var filtered = await api.GetAsync($"/v1/analytics/summary?from={from}&to={Next(last)}&group_by=model&team=research&status=success");
        var all = await api.GetAsync($"/v1/analytics/summary?from={from}&to={Next(last)}&group_by=model");
        Assert.NotEqual(all.GetProperty("total_usd").GetDecimal(), filtered.GetProperty("total_usd").GetDecimal());

        await Assertions.Expect(page.Locator("#total-cost")).ToHaveTextAsync(Money.Read(filtered.GetProperty("total_usd")), Wait);
        Assert.Equal(("research", "success"), (await page.InputValueAsync("#f-team"), await page.InputValueAsync("#f-status")));
        Assert.Contains("team research", await Money.Text(page, "#filter-label"));
        Assert.Contains("team=research", await page.GetAttributeAsync("#logs-link", "href"));

        await page.ClickAsync("[data-range='30d']");
        await Assertions.Expect(page.Locator("[data-range='30d']")).ToHaveAttributeAsync("aria-pressed", "true");
        Assert.Contains("team=research", page.Url);
        await page.ClickAsync("#clear-filters");
        await Assertions.Expect(page.Locator("#filter-label")).ToHaveTextAsync("Counting every call", new() { Timeout = 15_000 });
        Assert.DoesNotContain("team=", page.Url);
        session.AssertNoErrors();
    }

    [Fact]
    public async Task The_breakdown_shows_two_dimensions_or_a_tag_as_the_summary_api_counts_them()
    {
        var (from, last) = Week();
        await using var session = await api.SignInAsync(1280, 900, "/dashboard?range=7d&by=team,model");
        var page = session.Page;
        var pairs = await api.GetAsync($"/v1/analytics/summary?from={from}&to={Next(last)}&group_by=team,model");
        var top = pairs.GetProperty("groups")[0];

        await Assertions.Expect(page.Locator("#breakdown tbody tr").First.Locator("td").First).ToHaveTextAsync(top.GetProperty("key").GetString()!, Wait);
        Assert.Equal("team × model", await page.Locator("#breakdown thead th").First.TextContentAsync());
        var href = await page.Locator("#breakdown tbody tr a").First.GetAttributeAsync("href");
        Assert.Contains($"team={Uri.EscapeDataString(top.GetProperty("keys").GetProperty("team").GetString()!)}", href);
        Assert.Contains("model=", href);

        await page.SelectOptionAsync("#breakdown-first", "tag");
        await page.FillAsync("#breakdown-tag", "feature");
        await page.ClickAsync("#breakdown-form button[type=submit]");
        var tags = await api.GetAsync($"/v1/analytics/summary?from={from}&to={Next(last)}&group_by=tag:feature");
        await Assertions.Expect(page.Locator("#breakdown thead th").First).ToHaveTextAsync("tag:feature", Wait);
        var shown = await page.Locator("#breakdown tbody tr td:first-child").AllTextContentsAsync();
        Assert.Equal(tags.GetProperty("groups").EnumerateArray().Take(16).Select(g => g.GetProperty("key").GetString() is { Length: > 0 } k ? k : "(not set)"), shown.Take(16));
        Assert.Contains("by=tag%3Afeature", page.Url);
        session.AssertNoErrors();
    }

    [Theory]
    [InlineData(1280, 900)]
    [InlineData(390, 844)]
    public async Task App_tag_key_status_and_pricing_source_filter_the_logs_from_the_url(int width, int height)
    {
        var gateway = (await api.GetAsync("/v1/usage/seed-failed")).GetProperty("key_id").GetString()!;
        await using var session = await api.SignInAsync(width, height, $"/dashboard/logs?app=slack-bot&tag=feature:summaries&key_id={gateway}&status=error&pricing_source=fallback");
        var page = session.Page;

        Assert.Equal(["seed-failed"], await ShownIdsAsync(page));
        Assert.Equal(await AllIdsAsync($"app=slack-bot&tag=feature:summaries&key_id={gateway}&status=error&pricing_source=fallback"), await ShownIdsAsync(page));
        Assert.Equal(("slack-bot", "feature:summaries", gateway, "error", "fallback"), (await page.InputValueAsync("#f-app"), await page.InputValueAsync("#f-tag"), await page.InputValueAsync("#f-key_id"), await page.InputValueAsync("#f-status"), await page.InputValueAsync("#f-pricing-source")));

        await page.SelectOptionAsync("#f-status", "success");
        await page.ClickAsync("#filters button[type=submit]");
        await Assertions.Expect(page.Locator("#calls tbody tr")).ToHaveTextAsync(["No calls match these filters"]);
        Assert.Contains("status=success", page.Url);
        session.AssertNoErrors();
    }

    [Theory]
    [InlineData(1280, 900)]
    [InlineData(390, 844)]
    public async Task A_row_opens_the_call_what_was_sent_how_it_resolved_every_part_of_its_price_and_the_reported_cost(int width, int height)
    {
        await using var session = await api.SignInAsync(width, height, "/dashboard/logs?model=gpt-4o&user=ann");
        var page = session.Page;
        var record = await api.GetAsync("/v1/usage/seed-reported-0");

        await page.ClickAsync("#calls a[aria-label^='Call seed-reported-0 ']");
        await Assertions.Expect(page.Locator("[data-testid=call-resolved]")).ToHaveTextAsync(record.GetProperty("pricing").GetProperty("resolved_model").GetString()!, Wait);
        Assert.Contains("call=seed-reported-0", page.Url);
        Assert.Equal("gpt-4o", await Money.Text(page, "[data-testid=call-model]"));
        Assert.Equal("exact", await Money.Text(page, "[data-testid=call-source]"));
        Assert.Equal(record.GetProperty("key_id").GetString(), await Money.Text(page, "[data-testid=call-key-id]"));
        Assert.DoesNotContain(api.IngestKey, await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Contains("exact 'openai/gpt-4o'", await Money.Text(page, "#call-detail .steps .matched"));
        var cost = record.GetProperty("pricing").GetProperty("cost");
        var parts = await page.Locator("[data-testid=breakdown] tbody tr").EvaluateAllAsync<string[][]>("rows => rows.map(r => [...r.cells].map(c => c.textContent))");
        Assert.Equal(["input (not cached)", "10,000", Money.Read(cost.GetProperty("input_usd")), Money.Exact(cost.GetProperty("input_usd"))], parts[0]);
        Assert.Equal(["output", "1,000", Money.Read(cost.GetProperty("output_usd")), Money.Exact(cost.GetProperty("output_usd"))], parts[1]);
        Assert.Equal(Money.Exact(cost.GetProperty("total_usd")), await page.Locator("[data-testid=call-total] .money").GetAttributeAsync("title"));
        Assert.Equal("$0.035", await Money.Text(page, "[data-testid=call-ours]"));
        Assert.Equal("$0.03", await Money.Text(page, "[data-testid=call-reported]"));
        Assert.Equal("$0.005 (+16.67%)", await Money.Text(page, "[data-testid=call-difference]"));
        Assert.True(await page.EvaluateAsync<int>("document.scrollingElement.scrollWidth") <= width, $"the call scrolls sideways at {width} px");
        await session.ScreenshotAsync($"logs-call-{width}.png");

        // The link opens the same call in a new tab.
        await using var linked = await api.SignInAsync(width, height, new Uri(page.Url).PathAndQuery);
        await Assertions.Expect(linked.Page.Locator("[data-testid=call-resolved]")).ToHaveTextAsync(record.GetProperty("pricing").GetProperty("resolved_model").GetString()!, Wait);
        Assert.Equal("gpt-4o", await linked.Page.InputValueAsync("#f-model"));
        session.AssertNoErrors();
        linked.AssertNoErrors();
    }

    [Fact]
    public async Task Export_downloads_the_filtered_view_as_csv_with_exact_amounts()
    {
        await using var session = await api.SignInAsync(1280, 900, "/dashboard/logs?model=gpt-4o&user=ann");
        var page = session.Page;
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#export-csv"));
        var path = await download.PathAsync();
        var lines = await File.ReadAllLinesAsync(path);

        Assert.Equal("usage.csv", download.SuggestedFilename);
        Assert.StartsWith("id,timestamp,model,", lines[0]);
        var ids = lines.Skip(1).Select(l => l.Split(',')[0]).ToArray();
        Assert.Equal(await AllIdsAsync("model=gpt-4o&user=ann"), ids);
        // Counted from the end: the columns after reported_cost_usd are numbers and names without commas, the tags before it may have some.
        var header = lines[0].Split(',');
        var fromEnd = header.Length - Array.IndexOf(header, "reported_cost_usd");
        Assert.Contains(lines, l => l.StartsWith("seed-reported-0,", StringComparison.Ordinal) && l.Split(',')[^fromEnd] == "0.03");
        session.AssertNoErrors();
    }

    [Fact]
    public async Task At_390_px_the_logs_and_a_call_fit_without_scrolling_sideways()
    {
        await using var session = await api.SignInAsync(390, 844, "/dashboard/logs?call=seed-failed");
        var page = session.Page;
        await Assertions.Expect(page.Locator("[data-testid=call-model]")).ToHaveTextAsync(DashboardFixture.LongModel, Wait);

        Assert.True(await page.EvaluateAsync<int>("document.scrollingElement.scrollWidth") <= 390, "the logs page scrolls sideways at 390 px");
        await page.WaitForSelectorAsync("#calls tbody tr a");
        Assert.Equal("grid", await page.EvaluateAsync<string>("getComputedStyle(document.querySelector('#calls tbody td')).display"));
        Assert.Equal("Time (UTC)", await page.EvaluateAsync<string>("document.querySelector('#calls tbody td').dataset.label"));
        Assert.True(await page.EvaluateAsync<bool>("(() => { const box = document.querySelector('.logs-scroll'); return box.scrollWidth <= box.clientWidth; })()"), "the calls table scrolls sideways inside its box at 390 px instead of reflowing");
        await session.ScreenshotAsync("logs-390.png");
        await page.SetViewportSizeAsync(1280, 900);
        await page.GotoAsync("/dashboard/logs");
        await page.WaitForSelectorAsync("#calls tbody tr a");
        await session.ScreenshotAsync("logs-1280.png");
        session.AssertNoErrors();
    }

    [Fact]
    public async Task Money_reads_in_cents_or_four_significant_digits_with_the_exact_amount_kept()
    {
        await using var session = await api.SignInAsync(1280, 900);
        var samples = new[] { "0", "0.00945", "0.000012345", "0.0999", "0.1", "0.125", "1234.5678", "-0.5", "1000000" };
        var shown = await session.Page.EvaluateAsync<string[]>(
            "async samples => { const m = await import('/dashboard/common.js'); return samples.map(s => m.money(s)); }", samples);

        Assert.Equal(["$0", "$0.00945", "$0.00001235", "$0.0999", "$0.10", "$0.13", "$1,234.57", "-$0.50", "$1,000,000.00"], shown);
        Assert.Equal(samples.Select(s => Money.Read(decimal.Parse(s, CultureInfo.InvariantCulture))), shown);
        var sums = await session.Page.EvaluateAsync<string[]>(
            "async () => { const m = await import('/dashboard/common.js'); return [m.plus('0.1', '0.2'), m.minus('0.035', '0.03'), m.plus('-1.5', '0.25'), m.minus('1', '1.000')]; }");
        Assert.Equal(["0.3", "0.005", "-1.25", "0"], sums);
        session.AssertNoErrors();
    }

    [Fact]
    public async Task The_dashboard_range_lives_in_the_url_and_the_date_inputs_follow_the_presets()
    {
        await using var session = await api.SignInAsync(1280, 900, "/dashboard?range=30d");
        var page = session.Page;
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        Assert.Equal("true", await page.GetAttributeAsync("[data-range='30d']", "aria-pressed"));
        Assert.Equal(Day(today.AddDays(-29)), await page.InputValueAsync("#range-from"));
        Assert.Equal(Day(today), await page.InputValueAsync("#range-to"));

        var loaded = await page.GetAttributeAsync("body", "data-loaded");
        await page.ClickAsync("[data-range=today]");
        await page.WaitForReloadAsync(loaded);
        Assert.EndsWith("/dashboard?range=today", page.Url);
        Assert.Equal(Day(today), await page.InputValueAsync("#range-from"));

        // An empty range says so instead of drawing an axis.
        await page.GotoAsync("/dashboard?from=2020-01-01&to=2020-01-03");
        await Assertions.Expect(page.Locator("#chart-cost-day")).ToHaveTextAsync("No calls in this range", Wait);
        Assert.Equal("No calls in this range", await Money.Text(page, "#chart-cost-model"));
        Assert.Equal("$0", await Money.Text(page, "#total-cost"));
        Assert.Equal("2020-01-01", await page.InputValueAsync("#range-from"));
        Assert.Equal("2020-01-03", await page.InputValueAsync("#range-to"));
        Assert.Equal(0, await page.Locator("[data-range][aria-pressed=true]").CountAsync());
        session.AssertNoErrors();
    }

    [Fact]
    public async Task Clicking_a_day_narrows_the_range_and_a_team_a_model_or_a_mismatch_opens_its_calls()
    {
        await using var session = await api.SignInAsync(1280, 900);
        var page = session.Page;
        var (from, last) = Week();

        var loaded = await page.GetAttributeAsync("body", "data-loaded");
        await page.Locator("#chart-cost-day [data-pick='6']").ClickAsync();
        await page.WaitForReloadAsync(loaded);
        Assert.EndsWith($"/dashboard?from={last}&to={last}", page.Url);
        Assert.Equal(last, await page.InputValueAsync("#range-from"));
        loaded = await page.GetAttributeAsync("body", "data-loaded");
        await page.GoBackAsync();
        await page.WaitForReloadAsync(loaded);
        Assert.Equal(from, await page.InputValueAsync("#range-from"));

        await page.ClickAsync("#top-teams tbody tr:first-child a");
        await page.WaitForPageAsync("/dashboard/logs");
        var team = await page.InputValueAsync("#f-team");
        Assert.NotEmpty(team);
        Assert.Equal(from, await page.InputValueAsync("#f-from"));
        await page.GoBackToAnotherPageAsync();
        await page.WaitForPageAsync("/dashboard");

        var mismatch = page.Locator("#mismatches tbody tr", new() { HasText = "openai/gpt-4o" });
        Assert.Contains("+16.67%", await mismatch.TextContentAsync());
        await mismatch.Locator("a").ClickAsync();
        await page.WaitForPageAsync("/dashboard/logs");
        await page.WaitForSelectorAsync("#calls a[aria-label^='Call seed-reported-0 ']");
        Assert.Equal("openai/gpt-4o", await page.InputValueAsync("#f-model"));
        session.AssertNoErrors();
    }

    [Fact]
    public async Task At_390_px_axis_labels_do_not_overlap_and_long_names_wrap_inside_the_chart()
    {
        await using var session = await api.SignInAsync(390, 844, "/dashboard?range=30d");
        var page = session.Page;
        var boxes = await page.Locator("#chart-cost-day text[data-axis=x]").EvaluateAllAsync<double[][]>("nodes => nodes.map(n => { const b = n.getBoundingClientRect(); return [b.left, b.right]; })");
        Assert.True(boxes.Length >= 2);
        for (var i = 1; i < boxes.Length; i++)
        {
            Assert.True(boxes[i][0] >= boxes[i - 1][1], $"x label {i} overlaps the one before it");
        }

        var figure = await page.Locator("#chart-cost-model").BoundingBoxAsync();
        var widest = await page.Locator("#chart-cost-model svg text").EvaluateAllAsync<double>("nodes => Math.max(...nodes.map(n => n.getBoundingClientRect().right))");
        Assert.True(widest <= figure!.X + figure.Width + 1, "a label runs out of the cost per model chart");
        var lines = await page.Locator("#chart-cost-model svg text", new() { HasText = "acme-internal" }).Locator("tspan").AllTextContentsAsync();
        Assert.True(lines.Count > 1);
        Assert.Equal(DashboardFixture.LongModel, string.Concat(lines));
        Assert.All(lines.SkipLast(1), l => Assert.Matches("[-/_.: ]$", l));
        var wide = await page.EvaluateAsync<string[]>("[...document.querySelectorAll('body *')].filter(n => !n.closest('.scroll') && n.getBoundingClientRect().right > 391).slice(0, 12).map(n => `${n.tagName}#${n.id}.${n.className} ${Math.round(n.getBoundingClientRect().right)}`)");
        Assert.True(wide.Length == 0, string.Join("; ", wide));
        session.AssertNoErrors();
    }

    private async Task<List<string>> AllIdsAsync(string filter)
    {
        var ids = new List<string>();
        string? cursor = null;
        do
        {
            var page = await api.GetAsync($"/v1/usage?{filter}&limit=1000{(cursor is null ? string.Empty : $"&cursor={cursor}")}");
            ids.AddRange(page.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetString()!));
            cursor = page.GetProperty("next_cursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next_cursor").GetString();
        }
        while (cursor is not null);
        return ids;
    }

    private static async Task<string[]> ShownIdsAsync(IPage page) =>
        await page.Locator("#calls tbody tr a").EvaluateAllAsync<string[]>("links => links.map(a => new URL(a.href).searchParams.get('call'))");

    private static (string From, string Last) Week()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        return (Day(today.AddDays(-6)), Day(today));
    }

    private static string Next(string day) => Day(DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture).AddDays(1));

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
