using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Catalog.Api.Tests.Ledger;

/// <summary>The API in memory on a temporary ledger file of its own, with a known admin key (and, when given, a fake clock).</summary>
public sealed class LedgerApiFactory : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-admin-key-0123456789";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "catalog-tests", Guid.NewGuid().ToString("N"));

    public string DatabasePath => Path.Combine(_directory, "catalog.db");

    /// <summary>The service's clock when set; else the system's.</summary>
    public FakeTimeProvider? Clock { get; init; }

    public HttpClient Client(string? key = AdminKey)
    {
        var client = CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    /// <summary>Another host of the API with its own ledger file (two hosts may not share one file).</summary>
    public WebApplicationFactory<Program> WithOwnDatabase(Action<IWebHostBuilder> configure) =>
        WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Storage:Path", Path.Combine(_directory, Guid.NewGuid().ToString("N"), "catalog.db"));
            configure(builder);
        });

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Storage:Path", DatabasePath);
        builder.UseSetting("CATALOG_ADMIN_KEY", AdminKey);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        if (Clock is not null)
        {
            builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(Clock));
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}

public static class LedgerHttp
{
    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, string json) =>
        client.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, JsonNode body) =>
        client.PostJsonAsync(url, body.ToJsonString());

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>());

    /// <summary>A valid call; <paramref name="extra"/> adds or replaces fields.</summary>
    public static JsonObject Call(string id, string model = "gpt-4o", int input = 1000, int output = 200, string? user = "ann", string? team = "search", string? app = "web", DateTimeOffset? at = null, JsonObject? tags = null)
    {
        var call = new JsonObject
        {
            ["id"] = id,
            ["model"] = model,
            ["usage"] = new JsonObject { ["prompt_tokens"] = input, ["completion_tokens"] = output },
            ["timestamp"] = (at ?? new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero)).ToString("O"),
            ["latency_ms"] = 120,
            ["status"] = "success",
        };
        if (tags is not null)
        {
            call["tags"] = tags;
        }

        if (user is not null)
        {
            call["user"] = user;
        }

        if (team is not null)
        {
            call["team"] = team;
        }

        if (app is not null)
        {
            call["app"] = app;
        }

        return call;
    }
}
