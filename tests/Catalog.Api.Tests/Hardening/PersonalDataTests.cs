using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Catalog.Api.Features.Usage;
using Catalog.Api.Tests.Ledger;
using Catalog.Api.Tests.Operations;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Catalog.Api.Tests.Hardening;

/// <summary>What the ledger keeps about people: erasure of one user's calls, and retention of calls for so many days; both stores.</summary>
public abstract class PersonalDataTests(StoreApiFactory factory)
{
    [StoreFact]
    public async Task Erasing_a_user_deletes_their_calls_and_rollups_answers_how_many_and_leaves_an_audit_line_without_the_user_or_the_key()
    {
        var logs = new CollectingLoggerProvider();
        using var host = factory.WithAnotherHost(builder =>
        {
            builder.UseSetting("Logging:LogLevel:Default", "Information");
            builder.ConfigureLogging(logging => logging.AddProvider(logs));
        });
        var admin = Client(host, StoreApiFactory.AdminKey);
        var at = new DateTimeOffset(2025, 5, 5, 9, 0, 0, TimeSpan.Zero);
        var items = new JsonArray();
        for (var i = 0; i < 30; i++)
        {
            items.Add(LedgerHttp.Call($"erase-{i:D2}", user: i % 3 == 0 ? "erin@example.com" : "frank", at: at.AddMinutes(i)));
        }

        await admin.PostJsonAsync("/v1/usage/batch", new JsonObject { ["items"] = items });
        var reader = await (await admin.PostJsonAsync("/v1/keys", """{"name": "reader", "scopes": ["read", "ingest"]}""")).JsonAsync();

        Assert.Equal(HttpStatusCode.Forbidden, (await Client(host, reader.GetProperty("key").GetString()!).DeleteAsync("/v1/usage?user=frank")).StatusCode);
        var missing = await admin.DeleteAsync("/v1/usage");
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.True((await missing.JsonAsync()).GetProperty("errors").TryGetProperty("user", out _));
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.DeleteAsync("/v1/usage?user=erin@example.com&team=x")).StatusCode);

        var erased = await admin.DeleteAsync("/v1/usage?user=" + Uri.EscapeDataString("erin@example.com"));
        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        Assert.Equal(10, (await erased.JsonAsync()).GetProperty("deleted").GetInt64());
        Assert.Equal(0, (await (await admin.DeleteAsync("/v1/usage?user=erin%40example.com")).JsonAsync()).GetProperty("deleted").GetInt64());

        var list = await (await admin.GetAsync("/v1/usage?from=2025-05-05&to=2025-05-06&user=erin%40example.com")).JsonAsync();
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/v1/usage/erase-00")).StatusCode);
        var summary = await (await admin.GetAsync("/v1/analytics/summary?from=2025-05-05&to=2025-05-06&group_by=user")).JsonAsync();
        Assert.Equal(20, summary.GetProperty("requests").GetInt64());
        Assert.Equal(["frank"], summary.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("key").GetString()));

        var audit = logs.Text.Split(Environment.NewLine).Where(l => l.StartsWith("Catalog.Audit", StringComparison.Ordinal)).ToArray();
        Assert.Contains(audit, l => l.Contains("key admin deleted 10 calls of user sha256:" + UsageErasure.UserHash("erin@example.com"), StringComparison.Ordinal));
        Assert.DoesNotContain("erin@example.com", logs.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(StoreApiFactory.AdminKey, logs.Text, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task Retention_deletes_the_calls_older_than_its_days_with_their_rollups_and_logs_it()
    {
        var logs = new CollectingLoggerProvider();
        using var host = factory.WithAnotherHost(builder =>
        {
            builder.UseSetting("Ledger:RetentionDays", "30");
            builder.UseSetting("Logging:LogLevel:Default", "Information");
            builder.ConfigureLogging(logging => logging.AddProvider(logs));
        });
        var admin = Client(host, StoreApiFactory.AdminKey);
        var now = DateTimeOffset.UtcNow;
        var items = new JsonArray();
        for (var i = 0; i < 6; i++)
        {
            items.Add(LedgerHttp.Call($"retain-{i}", user: "retention", at: now.AddDays(i < 4 ? -40 - i : -1)));
        }

        await admin.PostJsonAsync("/v1/usage/batch", new JsonObject { ["items"] = items });
        await host.Services.GetRequiredService<LedgerRetention>().DeleteExpiredAsync(default);

        var left = await (await admin.GetAsync("/v1/usage?user=retention")).JsonAsync();
        Assert.Equal(["retain-4", "retain-5"], left.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetString()).Order());
        var summary = await (await admin.GetAsync($"/v1/analytics/summary?from={now.AddDays(-60):yyyy-MM-dd}&group_by=user")).JsonAsync();
        Assert.Equal(2, summary.GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("key").GetString() == "retention").GetProperty("requests").GetInt64());
        // The round at start-up may have run before or after the calls came: either it or the one asked for here deleted them.
        Assert.Matches(@"Retention: deleted \d+ calls made before .* \(Ledger:RetentionDays=30\)", logs.Text);
    }

    private static HttpClient Client(WebApplicationFactory<Program> host, string key)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}

public sealed class LiteDbPersonalDataTests(LedgerApiFactory factory) : PersonalDataTests(factory), IClassFixture<LedgerApiFactory>;

[RequiresPostgres]
public sealed class PostgresPersonalDataTests(PostgresLedgerApiFactory factory) : PersonalDataTests(factory), IClassFixture<PostgresLedgerApiFactory>;
