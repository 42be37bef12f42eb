using System.Net;
using System.Text.Json;
using Catalog.Ledger.LiteDb;
using Catalog.Api.Tests.Ledger;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Api.Tests.Operations;

/// <summary><c>/healthz</c> and <c>/readyz</c> on each ledger store: open, keyless, 503 naming the failing check.</summary>
public abstract class HealthContract<TFactory>(TFactory factory)
    where TFactory : StoreApiFactory
{
    protected TFactory Factory { get; } = factory;

    [StoreFact]
    public async Task Healthz_answers_200_without_a_key()
    {
        using var http = Factory.Client(key: null);

        var response = await http.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("healthy", (await JsonAsync(response)).GetProperty("status").GetString());
    }

    [StoreFact]
    public async Task Readyz_answers_200_with_the_catalogue_and_ledger_checks()
    {
        using var http = Factory.Client(key: null);

        var response = await http.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var checks = (await JsonAsync(response)).GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("status").GetString());
        Assert.Equal(new Dictionary<string, string?> { ["catalogue"] = "healthy", ["ledger"] = "healthy" }, checks);
    }

    [StoreFact]
    public async Task Health_and_metrics_endpoints_are_left_out_of_the_openapi_document()
    {
        using var http = Factory.Client(key: null);

        var paths = JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json")).RootElement.GetProperty("paths");

        Assert.False(paths.TryGetProperty("/healthz", out _));
        Assert.False(paths.TryGetProperty("/readyz", out _));
        Assert.False(paths.TryGetProperty("/metrics", out _));
    }

    protected static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    /// <summary>The answer names the failing check, and carries nothing but names, statuses and fixed text.</summary>
    protected static async Task AssertNotReadyBecauseOfLedgerAsync(HttpClient http, params string[] secrets)
    {
        var response = await http.GetAsync("/readyz");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var answer = JsonDocument.Parse(text).RootElement;
        Assert.Equal("unhealthy", answer.GetProperty("status").GetString());
        var ledger = answer.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "ledger");
        Assert.Equal("unhealthy", ledger.GetProperty("status").GetString());
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, text);
        }

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
    }
}

public sealed class LiteDbHealthTests(LedgerApiFactory factory) : HealthContract<LedgerApiFactory>(factory), IClassFixture<LedgerApiFactory>
{
    [Fact]
    public async Task Readyz_is_503_naming_the_ledger_when_the_file_is_closed()
    {
        using var host = Factory.WithOwnDatabase(_ => { });
        using var http = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz")).StatusCode);

        host.Services.GetRequiredService<LedgerDatabase>().Dispose();

        await AssertNotReadyBecauseOfLedgerAsync(http, StoreApiFactory.AdminKey);
    }
}

[RequiresPostgres]
public sealed class PostgresHealthTests(PostgresLedgerApiFactory factory) : HealthContract<PostgresLedgerApiFactory>(factory), IClassFixture<PostgresLedgerApiFactory>
{
    [StoreFact]
    public async Task Readyz_is_503_naming_the_ledger_when_postgres_is_unreachable()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var password = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString).Password ?? "no-password";
        using var host = Factory.WithWebHostBuilder(b => b.UseSetting("Storage:ConnectionString", database.ConnectionString));
        using var http = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz")).StatusCode);

        await TestPostgres.ExecuteAsync(TestPostgres.AdminConnectionString!, $"DROP DATABASE {new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString).Database} WITH (FORCE)");

        await AssertNotReadyBecauseOfLedgerAsync(http, password);
    }
}
