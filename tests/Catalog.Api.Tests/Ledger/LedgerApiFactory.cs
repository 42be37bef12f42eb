using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Catalog.Ledger.LiteDb;
using Catalog.Ledger.Postgres;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Catalog.Api.Tests.Ledger;

/// <summary>The API in memory on a ledger store of its own, with a known admin key (and, when given, a fake clock).</summary>
public abstract class StoreApiFactory : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-admin-key-0123456789";

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

    /// <summary>The stored key with this id, as the store holds it, as text.</summary>
    public abstract Task<string> StoredKeyAsync(string id);

    protected abstract void ConfigureStorage(IWebHostBuilder builder);

    /// <summary>
    /// Another host of the API, configured by <paramref name="configure"/>, on a ledger it may open while any earlier host of
    /// this fixture is still closing (a LiteDB file is held by one host at a time; a PostgreSQL database is shared).
    /// </summary>
    public abstract WebApplicationFactory<Program> WithAnotherHost(Action<IWebHostBuilder> configure);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ConfigureStorage(builder);
        builder.UseSetting("CATALOG_ADMIN_KEY", AdminKey);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        if (Clock is not null)
        {
            builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(Clock));
        }
    }
}

/// <summary>The API in memory on a temporary LiteDB ledger file.</summary>
public sealed class LedgerApiFactory : StoreApiFactory
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "catalog-tests", Guid.NewGuid().ToString("N"));

    public string DatabasePath => Path.Combine(_directory, "catalog.db");

    public override Task<string> StoredKeyAsync(string id) =>
        Task.FromResult(Services.GetRequiredService<LedgerDatabase>().Database.GetCollection(LiteDbKeyStore.KeyCollection).FindById(id).ToString());

    public override WebApplicationFactory<Program> WithAnotherHost(Action<IWebHostBuilder> configure) => WithOwnDatabase(configure);

    /// <summary>Another host of the API with its own ledger file (two hosts may not share one file).</summary>
    public WebApplicationFactory<Program> WithOwnDatabase(Action<IWebHostBuilder> configure) =>
        WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Storage:Path", Path.Combine(_directory, Guid.NewGuid().ToString("N"), "catalog.db"));
            configure(builder);
        });

    protected override void ConfigureStorage(IWebHostBuilder builder) => builder.UseSetting("Storage:Path", DatabasePath);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}

/// <summary>The API in memory on a PostgreSQL database of its own (created when the tests start, dropped after).</summary>
public sealed class PostgresLedgerApiFactory : StoreApiFactory, IAsyncLifetime
{
    private TestDatabase? _database;

    /// <summary>Creates the database, when there is a server: without one the tests are skipped and never start the API.</summary>
    public async Task InitializeAsync() => _database = TestPostgres.AdminConnectionString is null ? null : await TestPostgres.CreateDatabaseAsync();

    public override WebApplicationFactory<Program> WithAnotherHost(Action<IWebHostBuilder> configure) => WithWebHostBuilder(configure);

    public override async Task<string> StoredKeyAsync(string id)
    {
        await using var command = Services.GetRequiredService<PostgresLedger>().DataSource.CreateCommand("SELECT row_to_json(k)::text FROM api_keys k WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        return (string)(await command.ExecuteScalarAsync())!;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    protected override void ConfigureStorage(IWebHostBuilder builder)
    {
        foreach (var (name, value) in _database!.ApiSettings)
        {
            builder.UseSetting(name.Replace("__", ":", StringComparison.Ordinal), value);
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

    /// <summary>Every stored call, page by page through <c>GET /v1/usage</c>.</summary>
    public static async Task<List<(string Id, decimal TotalUsd, long InputTokens)>> ListAllAsync(this HttpClient http)
    {
        var all = new List<(string, decimal, long)>();
        var url = "/v1/usage?limit=1000";
        while (true)
        {
            var page = JsonDocument.Parse(await http.GetStringAsync(url)).RootElement;
            all.AddRange(page.GetProperty("items").EnumerateArray().Select(r => (
                r.GetProperty("id").GetString()!,
                r.GetProperty("pricing").GetProperty("cost").GetProperty("total_usd").GetDecimal(),
                r.GetProperty("usage").GetProperty("input_tokens").GetInt64())));
            if (page.GetProperty("next_cursor").GetString() is not { } cursor)
            {
                return all;
            }

            url = $"/v1/usage?limit=1000&cursor={cursor}";
        }
    }

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
