using System.Net;
using System.Text;
using Catalog.Api.Http;
using Catalog.Api.Tests.Ledger;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Api.Tests.Hardening;

/// <summary>Large batch bodies and CSV exports run a bounded number at a time; beyond it, 503 with Retry-After (issue #13, item 5).</summary>
public sealed class HeavyRequestTests(LedgerApiFactory factory) : IClassFixture<LedgerApiFactory>
{
    private readonly HttpClient _client = factory.Client();

    private HeavyRequests Heavy => factory.Services.GetRequiredService<HeavyRequests>();

    [Theory]
    [InlineData("/v1/usage/batch")]
    [InlineData("/v1/cost/batch")]
    [InlineData("/v1/integrations/litellm")]
    public async Task A_large_body_beyond_the_limit_is_a_503_with_retry_after_and_a_small_one_is_not_held_back(string path)
    {
        var large = LargeBatch();
        var taken = TakeAll(Heavy.LargeBodies);
        try
        {
            var busy = await _client.PostAsync(path, new StringContent(large, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);
            Assert.NotNull(busy.Headers.RetryAfter?.Delta);

            var small = await _client.PostAsync("/v1/cost/batch", new StringContent("""{"items": [{"model": "gpt-4o"}]}""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, small.StatusCode);
        }
        finally
        {
            Heavy.LargeBodies.Release(taken);
        }

        Assert.NotEqual(HttpStatusCode.ServiceUnavailable, (await _client.PostAsync(path, new StringContent(large, Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Equal(taken, Heavy.LargeBodies.CurrentCount);
    }

    [Fact]
    public async Task An_export_beyond_the_limit_is_a_503_with_retry_after()
    {
        var taken = TakeAll(Heavy.Exports);
        try
        {
            var busy = await _client.GetAsync("/v1/usage/export.csv");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);
            Assert.NotNull(busy.Headers.RetryAfter?.Delta);
        }
        finally
        {
            Heavy.Exports.Release(taken);
        }

        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/v1/usage/export.csv")).StatusCode);
        Assert.Equal(taken, Heavy.Exports.CurrentCount);
    }

    /// <summary>Over 1 MB: a few thousand cost requests (each a valid call, so every endpoint reads them).</summary>
    private static string LargeBatch()
    {
        var item = """{"id": "heavy-ITEM", "model": "gpt-4o", "usage": {"input_tokens": 10, "output_tokens": 5}, "timestamp": "2026-11-20T10:00:00Z", "padding_note": "................................................................................................................................"}""";
        var items = Enumerable.Range(0, 6000).Select(i => item.Replace("ITEM", i.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        var json = "{\"items\": [" + string.Join(",", items) + "]}";
        Assert.True(json.Length > HeavyRequests.LargeBodyBytes);
        return json;
    }

    private static int TakeAll(SemaphoreSlim gate)
    {
        var taken = 0;
        while (gate.Wait(0))
        {
            taken++;
        }

        return taken;
    }
}
