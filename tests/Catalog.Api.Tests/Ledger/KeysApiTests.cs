using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Catalog.Api.Tests.Ledger;

/// <summary>API keys, on each store: scopes, revocation, per-key rate limits, and only a hash stored.</summary>
public abstract class KeysApiTests(StoreApiFactory factory)
{
    private readonly HttpClient _admin = factory.Client();

    [StoreFact]
    public async Task Usage_and_analytics_need_a_key_while_the_cost_api_stays_open()
    {
        var anonymous = factory.Client(key: null);

        var response = await anonymous.GetAsync("/v1/usage");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/v1/analytics/summary")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.Client("cat_0000000000000000_wrong").GetAsync("/v1/usage")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostJsonAsync("/v1/cost", """{"model":"gpt-4o"}""")).StatusCode);
    }

    [StoreFact]
    public async Task A_key_is_shown_once_stored_as_a_hash_and_only_does_what_its_scopes_allow()
    {
        var created = await _admin.PostJsonAsync("/v1/keys", """{"name":"gateway","scopes":["ingest"]}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.JsonAsync();
        var key = body.GetProperty("key").GetString()!;
        var id = body.GetProperty("id").GetString()!;
        var gateway = factory.Client(key);

        Assert.Equal(HttpStatusCode.Created, (await gateway.PostJsonAsync("/v1/usage", LedgerHttp.Call("keyed-1"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await gateway.GetAsync("/v1/usage")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await gateway.GetAsync("/v1/analytics/summary")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await gateway.PostJsonAsync("/v1/keys", """{"name":"x","scopes":["admin"]}""")).StatusCode);

        var listed = (await (await _admin.GetAsync("/v1/keys")).Content.ReadAsStringAsync());
        Assert.Contains(id, listed);
        Assert.DoesNotContain(key, listed);
        var stored = await factory.StoredKeyAsync(id);
        Assert.Contains(id, stored);
        Assert.DoesNotContain(key, stored);
        Assert.DoesNotContain(key[21..], stored);

        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync($"/v1/keys/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.PostJsonAsync("/v1/usage", LedgerHttp.Call("keyed-2"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.DeleteAsync("/v1/keys/nope")).StatusCode);
    }

    [StoreFact]
    public async Task A_key_over_its_rate_limit_gets_429_with_retry_after()
    {
        var body = await (await _admin.PostJsonAsync("/v1/keys", """{"name":"slow","scopes":["read"],"requests_per_second":2}""")).JsonAsync();
        var slow = factory.Client(body.GetProperty("key").GetString());

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 5; i++)
        {
            var response = await slow.GetAsync("/v1/usage?limit=1");
            statuses.Add(response.StatusCode);
            limited = response.StatusCode == HttpStatusCode.TooManyRequests ? response : limited;
        }

        Assert.Contains(HttpStatusCode.OK, statuses);
        Assert.NotNull(limited);
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single()) >= 1);
        Assert.Equal(HttpStatusCode.OK, (await _admin.GetAsync("/v1/usage?limit=1")).StatusCode);
    }

    [StoreTheory]
    [InlineData("""{"name":"x","scopes":["write"]}""", "scopes")]
    [InlineData("""{"name":"x","scopes":[]}""", "scopes")]
    [InlineData("""{"scopes":["read"]}""", "name")]
    [InlineData("""{"name":"x","scopes":["read"],"requests_per_second":0}""", "requests_per_second")]
    public async Task A_bad_key_request_names_the_field(string request, string field)
    {
        var response = await _admin.PostAsync("/v1/keys", new StringContent(request, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [StoreFact]
    public async Task A_key_works_until_its_expires_at_then_is_refused_saying_so_and_its_last_use_is_written_at_most_once_a_minute()
    {
        foreach (var bad in new[] { "\"2020-01-01T00:00:00Z\"", "\"tomorrow\"", "\"2030-01-01\"", "1767225600" })
        {
            var refused = await _admin.PostJsonAsync("/v1/keys", $$"""{"name":"bad-expiry","scopes":["read"],"expires_at":{{bad}}}""");
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.True((await refused.JsonAsync()).GetProperty("errors").TryGetProperty("expires_at", out _));
        }

        var now = DateTimeOffset.UtcNow;
        var expiresAt = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero).AddSeconds(10);
        var created = await (await _admin.PostJsonAsync("/v1/keys", $$"""{"name":"short-lived","scopes":["read"],"expires_at":"{{expiresAt:yyyy-MM-ddTHH:mm:ssZ}}"}""")).JsonAsync();
        Assert.Equal(expiresAt, created.GetProperty("expires_at").GetDateTimeOffset());
        var id = created.GetProperty("id").GetString();
        var client = factory.Client(created.GetProperty("key").GetString());

        async Task<System.Text.Json.JsonElement> ListedAsync() =>
            (await (await _admin.GetAsync("/v1/keys")).JsonAsync()).GetProperty("items").EnumerateArray().Single(k => k.GetProperty("id").GetString() == id);

        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await ListedAsync()).GetProperty("last_used_at").ValueKind);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/usage?limit=1")).StatusCode);
        var firstUse = (await ListedAsync()).GetProperty("last_used_at").GetDateTimeOffset();
        Assert.InRange(firstUse, now.AddSeconds(-5), DateTimeOffset.UtcNow.AddSeconds(1));
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/usage?limit=1")).StatusCode);
        }

        var listed = await ListedAsync();
        Assert.Equal(firstUse, listed.GetProperty("last_used_at").GetDateTimeOffset());
        Assert.Equal(expiresAt, listed.GetProperty("expires_at").GetDateTimeOffset());

        await Task.Delay(expiresAt - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(500));
        var expired = await client.GetAsync("/v1/usage?limit=1");
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        var problem = await expired.JsonAsync();
        Assert.Equal("The API key expired", problem.GetProperty("title").GetString());
        Assert.Contains(id!, problem.GetProperty("detail").GetString());
    }
}

public sealed class LiteDbKeysApiTests(LedgerApiFactory factory) : KeysApiTests(factory), IClassFixture<LedgerApiFactory>;

[RequiresPostgres]
public sealed class PostgresKeysApiTests(PostgresLedgerApiFactory factory) : KeysApiTests(factory), IClassFixture<PostgresLedgerApiFactory>;
