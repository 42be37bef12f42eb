using System.Net;
using Catalog.Api.Tests.Ledger;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Catalog.Api.Tests.Hardening;

/// <summary>Failed authentication is throttled per client address, with 429 and Retry-After; valid keys elsewhere are not slowed (issue #13, item 6).</summary>
public sealed class FailedAuthThrottleTests : IDisposable
{
    private const string ClientHeader = "X-Test-Client";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero));
    private readonly LedgerApiFactory _factory;
    private readonly Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> _api;

    public FailedAuthThrottleTests()
    {
        _factory = new LedgerApiFactory { Clock = _clock };
        _api = _factory.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Keys:FailedAuthPerWindow", "5");
            builder.UseSetting("Keys:FailedAuthWindowSeconds", "60");
            // The test host has no client address: each request says which client it stands for.
            builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new ClientAddressFromHeader()));
        });
    }

    public void Dispose()
    {
        _api.Dispose();
        _factory.Dispose();
    }

    [Fact]
    public async Task Past_the_limit_an_address_gets_429_with_retry_after_and_other_addresses_are_not_affected()
    {
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("10.0.0.1", $"cat_000000000000000{i}_wrong")).StatusCode);
        }

        var throttled = await GetAsync("10.0.0.1", "cat_0000000000000009_wrong");
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.InRange(throttled.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await GetAsync("10.0.0.1", StoreApiFactory.AdminKey)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await GetAsync("10.0.0.2", StoreApiFactory.AdminKey)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("10.0.0.2", "cat_0000000000000000_wrong")).StatusCode);

        _clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("10.0.0.1", StoreApiFactory.AdminKey)).StatusCode);
    }

    [Fact]
    public async Task Valid_keys_are_never_counted_as_failures()
    {
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await GetAsync("10.0.0.3", StoreApiFactory.AdminKey)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("10.0.0.3", "cat_0000000000000000_wrong")).StatusCode);
    }

    [Fact]
    public async Task An_ipv6_client_is_counted_by_its_64_bit_network()
    {
        for (var i = 0; i < 5; i++)
        {
            await GetAsync($"2001:db8:1:2::{i + 1}", "cat_0000000000000000_wrong");
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await GetAsync("2001:db8:1:2::99", "cat_0000000000000000_wrong")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("2001:db8:1:3::1", "cat_0000000000000000_wrong")).StatusCode);
    }

    private async Task<HttpResponseMessage> GetAsync(string client, string key)
    {
        var http = _api.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", key);
        http.DefaultRequestHeaders.Add(ClientHeader, client);
        return await http.GetAsync("/v1/usage?limit=1");
    }

    private sealed class ClientAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = IPAddress.Parse(context.Request.Headers[ClientHeader].ToString());
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
