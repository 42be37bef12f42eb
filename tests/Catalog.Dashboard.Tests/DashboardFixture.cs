using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Catalog.Tests.Shared;
using Microsoft.Playwright;

namespace Catalog.Dashboard.Tests;

/// <summary>The browser tests share one API and one browser (and one screenshots folder), and run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "dashboard";
}

/// <summary>
/// The API as a real process on a loopback port with a week of known usage in a fresh ledger, its
/// alert rules checked every second, and Debian's Chromium driven by Playwright.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string FallbackModel = "our-inhouse-llm";
    public const string IdleEndpoint = "phi-4";

    /// <summary>A name long enough to wrap in a chart and a table.</summary>
    public const string LongModel = "acme-internal-research-assistant-summaries-long-context-v2";
    private const string AdminKey = "dashboard-test-admin-key";

    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "catalog-tests", Guid.NewGuid().ToString("N"));
    private ApiProcess? _api;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public HttpClient Admin { get; private set; } = null!;

    public Uri Address => _api!.Address;

    public string ReadKey { get; private set; } = null!;

    public string IngestKey { get; private set; } = null!;

    /// <summary>The budgets the seed creates: research's is exceeded, search's is ok, the summaries tag's is in warning.</summary>
    public string[] BudgetIds { get; private set; } = [];

    /// <summary>Where screenshots go: TestResults/screenshots beside the test assembly.</summary>
    public static string Screenshots { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: the dashboard tests drive Debian's Chromium. Run scripts/install-test-tools.sh (./test.sh does) and run the tests again.");
        }

        var environment = new Dictionary<string, string>
        {
            // Development: the dashboard's files are served from the project's wwwroot (static web assets).
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Alerts__IntervalSeconds"] = "1",
            ["Storage__Path"] = Path.Combine(_directory, "catalog.db"),
        };
        var start = ApiProcess.StartAsync(ApiProcess.FreePort(), AdminKey, environment);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true, Args = ChromiumArgs });
        _api = await start;

        Admin = new HttpClient { BaseAddress = _api.Address };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        ReadKey = await CreateKeyAsync("dashboard", "read");
        IngestKey = await CreateKeyAsync("gateway", "ingest");
        await SeedAsync();
        if (Directory.Exists(Screenshots))
        {
            Directory.Delete(Screenshots, recursive: true);
        }

        Directory.CreateDirectory(Screenshots);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        _api?.Dispose();
        Admin?.Dispose();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>GET as the admin, the JSON kept as it was sent (money is compared as text).</summary>
    public async Task<JsonElement> GetAsync(string path)
    {
        using var response = await Admin.GetAsync(path);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone();
    }

    private async Task<string> CreateKeyAsync(string name, string scope)
    {
        using var response = await Admin.PostAsJsonAsync("/v1/keys", new { name, scopes = new[] { scope } });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
    }

    /// <summary>
    /// A week of calls: several models, users, teams and apps; some without usage (estimated); a name the
    /// catalogue does not know; today an expensive model used for the first time, above $100; and an
    /// endpoint left running.
    /// </summary>
    private async Task SeedAsync()
    {
        var now = DateTimeOffset.UtcNow;
        var models = new[] { "gpt-4o", "claude-sonnet-4-5-20250929", "my-chatbot", "gemini-2.5-flash", FallbackModel, "gpt-4o-mini" };
        var items = new JsonArray();
        for (var day = 0; day < 7; day++)
        {
            for (var i = 0; i < 9; i++)
            {
                var call = new JsonObject
                {
                    ["id"] = $"seed-{day}-{i}",
                    ["model"] = models[(day + i) % models.Length],
                    ["timestamp"] = now.AddDays(-day).AddMinutes(-1 - i).ToString("O"),
                    ["user"] = new[] { "ann", "bob", "chen", "dara" }[i % 4],
                    ["team"] = new[] { "search", "research", "support" }[(day + i) % 3],
                    ["app"] = new[] { "web", "slack-bot", "nightly-batch" }[i % 3],
                };
                if (i % 4 != 3)
                {
                    call["usage"] = new JsonObject { ["prompt_tokens"] = 1000 + (137 * day) + (911 * i), ["completion_tokens"] = 200 + (53 * i) };
                }

                items.Add(call);
            }
        }

        items.Add(new JsonObject
        {
            ["id"] = "seed-opus-today",
            ["model"] = "claude-opus-4-1",
            ["timestamp"] = now.AddSeconds(-5).ToString("O"),
            ["user"] = "eve",
            ["team"] = "research",
            ["app"] = "web",
            ["usage"] = new JsonObject { ["input_tokens"] = 5_000_000, ["output_tokens"] = 500_000 },
        });
        // Calls a gateway reported a cost for (LiteLLM's response_cost): $0.03 against our $0.035; a failed
        // call with tags; a name long enough to wrap.
        for (var i = 0; i < 3; i++)
        {
            items.Add(new JsonObject
            {
                ["id"] = $"seed-reported-{i}",
                ["model"] = "gpt-4o",
                ["provider"] = "openai",
                ["timestamp"] = now.AddMinutes(-30 - i).ToString("O"),
                ["user"] = "ann",
                ["team"] = "search",
                ["app"] = "web",
                ["usage"] = new JsonObject { ["prompt_tokens"] = 10_000, ["completion_tokens"] = 1_000 },
                ["reported_cost_usd"] = 0.03m,
                ["tags"] = new JsonObject { ["feature"] = i == 0 ? "summaries" : "search" },
            });
        }

        items.Add(new JsonObject
        {
            ["id"] = "seed-failed",
            ["model"] = LongModel,
            ["timestamp"] = now.AddMinutes(-40).ToString("O"),
            ["status"] = "error",
            ["user"] = "chen",
            ["team"] = "support",
            ["app"] = "slack-bot",
            ["usage"] = new JsonObject { ["prompt_tokens"] = 120, ["completion_tokens"] = 0 },
            ["tags"] = new JsonObject { ["feature"] = "summaries" },
        });
        var created = await IngestAsync(new JsonObject { ["items"] = items }, "/v1/usage/batch");
        Assert.Equal(items.Count, created.GetProperty("created").GetInt32());

        BudgetIds =
        [
            await CreateBudgetAsync("""{"name": "research-monthly", "period": "monthly", "amount_usd": 50, "scope": {"team": "research"}}"""),
            await CreateBudgetAsync("""{"name": "search-monthly", "period": "monthly", "amount_usd": 1000, "scope": {"team": "search"}}"""),
            await CreateBudgetAsync("""{"name": "summaries-daily", "period": "daily", "amount_usd": 0.04, "scope": {"tag": "feature:summaries"}}"""),
        ];

        // An Inference Endpoint up for two hours with no call: billed, and idle.
        var events = new JsonArray(
            new JsonObject { ["status"] = "initializing", ["replicas"] = 1, ["at"] = now.AddHours(-2).ToString("O") },
            new JsonObject { ["status"] = "running", ["replicas"] = 1, ["at"] = now.AddHours(-2).AddMinutes(3).ToString("O") });
        Assert.Equal(2, (await IngestAsync(events, $"/v1/endpoints/{IdleEndpoint}/events")).GetProperty("recorded").GetInt32());
    }

    /// <summary>A new tab at <paramref name="path"/>; with <paramref name="clock"/>, its timers run only when the test moves its clock.</summary>
    public async Task<BrowserSession> OpenAsync(int width, int height, bool clock = false, string path = "/")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height }, BaseURL = Address.ToString(), AcceptDownloads = true });
        var session = new BrowserSession(context, await context.NewPageAsync());
        if (clock)
        {
            await session.Page.Clock.InstallAsync();
        }

        await session.Page.GotoAsync(path);
        return session;
    }

    /// <summary>A new tab at <paramref name="path"/>, signed in with the read key, once the page has loaded its data.</summary>
    public async Task<BrowserSession> SignInAsync(int width, int height, string path = "/")
    {
        var session = await OpenAsync(width, height, path: path);
        await session.Page.FillAsync("#key-input", ReadKey);
        await session.Page.PressAsync("#key-input", "Enter");
        await session.Page.WaitForSelectorAsync("body[data-loaded]", new() { Timeout = 15_000 });
        return session;
    }

    private async Task<string> CreateBudgetAsync(string json)
    {
        using var response = await Admin.PostAsync("/v1/budgets", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>Records calls as the gateway does, with the ingest key.</summary>
    public async Task<JsonElement> IngestAsync(object body, string path = "/v1/usage")
    {
        using var ingest = new HttpClient { BaseAddress = _api!.Address };
        ingest.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", IngestKey);
        using var response = await ingest.PostAsJsonAsync(path, body);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone();
    }
}
