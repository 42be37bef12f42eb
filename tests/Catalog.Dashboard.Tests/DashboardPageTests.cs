using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;

namespace Catalog.Dashboard.Tests;

/// <summary>The dashboard in a real browser against the real API: the numbers a person sees are the API's.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardPageTests(DashboardFixture api)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_page_shows_the_api_numbers_draws_the_charts_and_lists_fallbacks_and_alerts()
    {
        var alerts = await OpenAlertsAsync(["daily-spend", "daily-spend-research", "spend-spike", "expensive-model", "fallback-pricing", "idle-endpoint", api.BudgetIds[0], api.BudgetIds[2]]);
        await using var session = await SignInAsync(1280, 900);
        var page = session.Page;
        var days = SevenDays();
        var summary = await api.GetAsync($"/v1/analytics/summary?from={days.From}&to={days.To}&group_by=model");

        Assert.Equal(Count(summary, "requests"), await Text(page, "#total-requests"));
        Assert.Equal(Money.Read(summary.GetProperty("total_usd")), await Text(page, "#total-cost"));
        Assert.Equal(Money.Exact(summary.GetProperty("total_usd")), await page.GetAttributeAsync("#total-cost", "title"));
        Assert.Equal((summary.GetProperty("input_tokens").GetInt64() + summary.GetProperty("output_tokens").GetInt64()).ToString("N0", CultureInfo.InvariantCulture), await Text(page, "#total-tokens"));
        Assert.Equal(Percent(summary.GetProperty("estimated_share")), await Text(page, "#estimated-share"));
        Assert.NotEqual("0%", await Text(page, "#estimated-share"));

        Assert.Equal("drawn", await page.GetAttributeAsync("#chart-cost-day svg", "data-chart"));
        Assert.Equal(7, await page.Locator("#chart-cost-day svg circle").CountAsync());
        Assert.Equal("drawn", await page.GetAttributeAsync("#chart-tokens svg", "data-chart"));
        var models = summary.GetProperty("groups").EnumerateArray().Take(10).ToArray();
        Assert.Equal(models.Select(m => m.GetProperty("key").GetString()), await page.Locator("#chart-cost-model svg rect[data-bar]").EvaluateAllAsync<string[]>("bars => bars.map(b => b.dataset.bar)"));

        foreach (var (table, group) in new[] { ("#top-users", "user"), ("#top-teams", "team"), ("#top-apps", "app") })
        {
            var top = (await api.GetAsync($"/v1/analytics/summary?from={days.From}&to={days.To}&group_by={group}")).GetProperty("groups")[0];
            var cells = await page.Locator($"{table} tbody tr").First.Locator("td").AllTextContentsAsync();
            Assert.Equal([top.GetProperty("key").GetString()!, Count(top, "requests"), Money.Read(top.GetProperty("total_usd"))], cells);
            Assert.Equal(Money.Exact(top.GetProperty("total_usd")), await page.Locator($"{table} tbody tr").First.Locator(".money").GetAttributeAsync("title"));
        }

        var fallback = await page.Locator("#fallback-models tbody tr").First.Locator("td").AllTextContentsAsync();
        Assert.Equal([DashboardFixture.FallbackModel, "–", "fallback"], fallback.Take(3));
        Assert.Contains($"name: {DashboardFixture.FallbackModel}", await Text(page, "#fallback-snippet"));

        var uptime = await api.GetAsync($"/v1/endpoints/costs?from={days.From}T00:00:00Z&to={days.To}T00:00:00Z");
        var idle = uptime.GetProperty("endpoints").EnumerateArray().Single(e => e.GetProperty("id").GetString() == DashboardFixture.IdleEndpoint);
        var row = await page.Locator("#endpoint-costs tbody tr", new() { HasText = DashboardFixture.IdleEndpoint }).Locator("td").AllTextContentsAsync();
        Assert.Equal("running × 1", row[1]);
        Assert.StartsWith($"{Money.Read(idle.GetProperty("cost_usd"))}{Count(idle, "billed_minutes")} min billed", row[2]);
        var warning = (await api.GetAsync("/v1/endpoints/warnings")).GetProperty("warnings")[0];
        Assert.Contains(warning.GetProperty("fix").GetString()!, await Text(page, "#endpoint-warnings"));

        var shown = await page.Locator("#alerts li strong").AllTextContentsAsync();
        Assert.Equal(alerts.Order(StringComparer.Ordinal), shown.Order(StringComparer.Ordinal));

        await page.FillAsync("#catalog-search", "my-chatbot");
        Assert.Contains("alias → anthropic/claude-sonnet-4-5", await Text(page, "#catalog-table tbody"));

        await session.ScreenshotAsync("dashboard-1280.png");
        session.AssertNoErrors();
    }

    [Theory]
    [InlineData(1280, 900)]
    [InlineData(390, 844)]
    public async Task Budgets_show_their_progress_forecast_and_state_with_exact_amounts_on_hover(int width, int height)
    {
        await using var session = await SignInAsync(width, height);
        var page = session.Page;
        var budgets = (await api.GetAsync("/v1/budgets")).GetProperty("items").EnumerateArray().ToArray();

        Assert.Equal(budgets.Length, await page.Locator("#budgets tbody tr").CountAsync());
        foreach (var (budget, i) in budgets.Select((b, i) => (b, i)))
        {
            var row = page.Locator("#budgets tbody tr").Nth(i);
            Assert.StartsWith(budget.GetProperty("name").GetString()!, await row.Locator("td").First.TextContentAsync());
            Assert.Equal(budget.GetProperty("state").GetString(), await row.Locator(".badge").TextContentAsync());
            var share = decimal.Parse(budget.GetProperty("spent_share").GetRawText(), CultureInfo.InvariantCulture);
            Assert.Equal(Math.Min(100m, share * 100m), decimal.Parse((await row.Locator("[role=progressbar]").GetAttributeAsync("aria-valuenow"))!, CultureInfo.InvariantCulture));
            var amounts = await row.Locator(".money").EvaluateAllAsync<string[]>("nodes => nodes.map(n => n.title)");
            Assert.Equal([.. new[] { "spent_usd", "amount_usd", "remaining_usd", "forecast_usd" }.Select(f => Money.Exact(budget.GetProperty(f)))], amounts);
            var over = budget.GetProperty("forecast_usd").GetDecimal() > budget.GetProperty("amount_usd").GetDecimal();
            Assert.Equal(over, (await row.Locator("td").Nth(3).TextContentAsync())!.Contains("over", StringComparison.Ordinal));
        }

        Assert.Equal(["exceeded", "ok", "warning"], budgets.Select(b => b.GetProperty("state").GetString()));
        Assert.Contains("Forecast: run rate", await Text(page, "#budgets-status"));
        Assert.True(await page.EvaluateAsync<int>("document.scrollingElement.scrollWidth") <= width, $"the page scrolls sideways at {width} px");
        Assert.True(await page.EvaluateAsync<bool>("[...document.querySelectorAll('#budgets [role=progressbar]')].every(bar => bar.getBoundingClientRect().width > 0)"), "a budget's progress bar is not shown");
        await page.Locator(".budgets-panel").ScreenshotAsync(new() { Path = Path.Combine(DashboardFixture.Screenshots, $"budgets-{width}.png") });
        session.AssertNoErrors();
    }

    [Fact]
    public async Task The_calculator_prices_a_name_through_the_cost_api_and_shows_how_it_resolved()
    {
        await using var session = await SignInAsync(1280, 900);
        var page = session.Page;

        await page.FillAsync("#calc-model", "my-chatbot");
        await page.FillAsync("#calc-input", "1000");
        await page.FillAsync("#calc-output", "500");
        await page.ClickAsync("#calculator button[type=submit]");

        await Assertions.Expect(page.Locator("[data-testid=calc-total]")).ToHaveTextAsync("$0.00945", new() { Timeout = (float)Timeout.TotalMilliseconds });
        Assert.Equal("anthropic/claude-sonnet-4-5", await Text(page, "[data-testid=calc-resolved]"));
        Assert.Equal("alias", await Text(page, "[data-testid=calc-source]"));
        Assert.Contains("alias 'my-chatbot'", await Text(page, "#calc-result .steps .matched"));
        session.AssertNoErrors();
    }

    [Fact]
    public async Task The_calculator_prices_a_batch_call_with_audio_and_shows_each_charged_unit()
    {
        await using var session = await SignInAsync(1280, 900);
        var page = session.Page;

        await page.FillAsync("#calc-model", "claude-sonnet-4-5");
        await page.FillAsync("#calc-input", "1000");
        await page.FillAsync("#calc-output", "500");
        await page.ClickAsync("#calc-more summary");
        await page.FillAsync("#calc-input-audio", "200");
        await page.SelectOptionAsync("#calc-service-tier", "batch");
        await page.ClickAsync("#calculator button[type=submit]");

        // Half of 1000 × $3 + 500 × $15 per million: the audio tokens, without a price of their own, cost the input price.
        await Assertions.Expect(page.Locator("[data-testid=calc-total]")).ToHaveTextAsync("$0.00525", new() { Timeout = (float)Timeout.TotalMilliseconds });
        Assert.Equal("batch", await Text(page, "[data-testid=calc-service-tier]"));
        Assert.Contains("1000", await Text(page, "#calc-result table.units tr[data-unit=input_tokens]"));
        Assert.Contains("500", await Text(page, "#calc-result table.units tr[data-unit=output_tokens]"));
        session.AssertNoErrors();
    }

    [Fact]
    public async Task The_catalogue_browser_shows_a_page_of_the_models_at_a_time()
    {
        await using var session = await SignInAsync(1280, 900);
        var page = session.Page;
        await page.WaitForSelectorAsync("#catalog-table tbody tr");

        Assert.Equal(100, await page.Locator("#catalog-table tbody tr").CountAsync());
        Assert.StartsWith("100 of ", await Text(page, "#catalog-count"));
        await page.ClickAsync("#catalog-more");
        Assert.Equal(200, await page.Locator("#catalog-table tbody tr").CountAsync());

        await page.FillAsync("#catalog-search", "@cf/meta/llama-3.1-8b-instruct");
        Assert.Contains("cloudflare/cf/meta/llama-3.1-8b-instruct", await Text(page, "#catalog-table tbody"));
        Assert.True(await page.Locator("#catalog-more").IsHiddenAsync());
        session.AssertNoErrors();
    }

    [Fact]
    public async Task At_390_px_the_page_fits_without_scrolling_sideways()
    {
        await using var session = await SignInAsync(390, 844);
        var page = session.Page;
        await page.WaitForSelectorAsync("#catalog-table tbody tr");

        Assert.True(await page.EvaluateAsync<int>("document.scrollingElement.scrollWidth") <= 390, "the page scrolls sideways at 390 px");
        await session.ScreenshotAsync("dashboard-390.png");
        session.AssertNoErrors();
    }

    [Fact]
    public async Task The_page_refreshes_itself_every_30_seconds()
    {
        await using var session = await OpenAsync(1280, 900, clock: true);
        var page = session.Page;
        await page.FillAsync("#key-input", api.ReadKey);
        await page.PressAsync("#key-input", "Enter");
        await page.WaitForSelectorAsync("body[data-loaded]");
        var before = await Text(page, "#total-requests");

        await api.IngestAsync(new { id = "refresh-1", model = "gpt-4o", user = "fay", usage = new { input_tokens = 10, output_tokens = 5 } });
        await page.Clock.FastForwardAsync("00:29");
        Assert.Equal(before, await Text(page, "#total-requests"));
        await page.Clock.FastForwardAsync("00:02");

        var days = SevenDays();
        var requests = Count(await api.GetAsync($"/v1/analytics/summary?from={days.From}&to={days.To}"), "requests");
        Assert.NotEqual(before, requests);
        await Assertions.Expect(page.Locator("#total-requests")).ToHaveTextAsync(requests, new() { Timeout = (float)Timeout.TotalMilliseconds });
        session.AssertNoErrors();
    }

    [Fact]
    public async Task The_keyboard_alone_signs_in_picks_a_range_and_reaches_the_calculator()
    {
        await using var session = await OpenAsync(1280, 900);
        var page = session.Page;
        Assert.Equal("key-input", await page.EvaluateAsync<string>("document.activeElement.id"));
        await page.Keyboard.TypeAsync(api.ReadKey);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("body[data-loaded]");

        var reached = new List<string>();
        for (var i = 0; i < 150 && !reached.Contains("calc-model"); i++)
        {
            await page.Keyboard.PressAsync("Tab");
            reached.Add(await page.EvaluateAsync<string>("document.activeElement.dataset.range || document.activeElement.id"));
            if (reached[^1] == "today")
            {
                var loaded = await page.GetAttributeAsync("body", "data-loaded");
                await page.Keyboard.PressAsync("Enter");
                await page.WaitForReloadAsync(loaded);
                Assert.Equal("true", await page.GetAttributeAsync("[data-range=today]", "aria-pressed"));
            }
        }

        Assert.Contains("today", reached);
        Assert.Contains("7d", reached);
        Assert.Contains("calc-model", reached);
        session.AssertNoErrors();
    }

    [Fact]
    public async Task A_wrong_key_or_one_without_the_read_scope_gets_a_clear_message()
    {
        await using var session = await OpenAsync(1280, 900);
        var page = session.Page;

        await page.FillAsync("#key-input", "cat_0000000000000000_not-a-real-key");
        await page.PressAsync("#key-input", "Enter");
        await Assertions.Expect(page.Locator("#key-error")).ToContainTextAsync("That key was not accepted (401)", new() { Timeout = (float)Timeout.TotalMilliseconds });
        Assert.True(await page.Locator("#main").IsHiddenAsync());

        await page.FillAsync("#key-input", api.IngestKey);
        await page.PressAsync("#key-input", "Enter");
        await Assertions.Expect(page.Locator("#key-error")).ToContainTextAsync("cannot read usage (403): ask an admin for a key with the read scope", new() { Timeout = (float)Timeout.TotalMilliseconds });
        Assert.Empty(session.PageErrors);
    }

    /// <summary>Waits until the monitor (checking every second) has opened an alert of each rule; returns the open alerts' titles.</summary>
    private async Task<string[]> OpenAlertsAsync(string[] rules)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var open = (await api.GetAsync("/v1/alerts")).GetProperty("open").EnumerateArray().ToArray();
            var opened = open.Select(a => a.GetProperty("rule_id").GetString()!).ToHashSet();
            if (opened.IsSupersetOf(rules))
            {
                return [.. open.Select(a => a.GetProperty("title").GetString()!)];
            }

            Assert.True(DateTime.UtcNow < deadline, $"within {Timeout.TotalSeconds} s the monitor opened alerts of {string.Join(", ", opened)}, not all of {string.Join(", ", rules)}");
            await Task.Delay(200);
        }
    }

    private async Task<BrowserSession> SignInAsync(int width, int height) => await api.SignInAsync(width, height);

    private async Task<BrowserSession> OpenAsync(int width, int height, bool clock = false)
    {
        var session = await api.OpenAsync(width, height, clock);
        Assert.EndsWith("/dashboard", session.Page.Url);
        return session;
    }

    private static (string From, string To) SevenDays()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        return (today.AddDays(-6).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), today.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    private static Task<string> Text(IPage page, string selector) => Money.Text(page, selector);

    private static string Count(JsonElement element, string property) => Money.Count(element, property);

    /// <summary>The share as a percentage without rounding: 0.333333 -> 33.3333%.</summary>
    private static string Percent(JsonElement share) =>
        (decimal.Parse(share.GetRawText(), CultureInfo.InvariantCulture) * 100 / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture) + "%";
}

/// <summary>A browser tab of its own, collecting console errors and uncaught exceptions.</summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly IBrowserContext _context;

    public BrowserSession(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                ConsoleErrors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => PageErrors.Add(error);
    }

    public IPage Page { get; }

    public List<string> ConsoleErrors { get; } = [];

    public List<string> PageErrors { get; } = [];

    /// <summary>The whole page, saved as <paramref name="name"/> in the screenshots folder.</summary>
    public Task ScreenshotAsync(string name) =>
        Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardFixture.Screenshots, name), FullPage = true });

    public void AssertNoErrors()
    {
        Assert.Empty(PageErrors);
        Assert.Empty(ConsoleErrors);
    }

    public ValueTask DisposeAsync() => new(_context.CloseAsync());
}
