using System.Net;
using Catalog.Api.Features.Alerts;
using Catalog.Ledger.Alerts;
using Catalog.Api.Tests.Ledger;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Api.Tests;

/// <summary>The dashboard's files as the API serves them, and the alert list it reads.</summary>
public sealed class DashboardApiTests(LedgerApiFactory factory) : IClassFixture<LedgerApiFactory>
{
    [Fact]
    public async Task The_root_redirects_to_the_dashboard_whose_scripts_and_styles_are_served_without_a_key()
    {
        var anonymous = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var root = await anonymous.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, root.StatusCode);
        Assert.Equal("/dashboard", root.Headers.Location?.OriginalString);

        var page = await anonymous.GetAsync("/dashboard");
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("\"/dashboard/dashboard.js\"", html);
        Assert.Contains("\"/dashboard/dashboard.css\"", html);
        foreach (var (file, type) in new[] { ("dashboard.js", "text/javascript"), ("charts.js", "text/javascript"), ("dashboard.css", "text/css") })
        {
            var asset = await anonymous.GetAsync($"/dashboard/{file}");
            Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
            Assert.Equal(type, asset.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task The_dashboard_is_served_with_a_content_security_policy_and_is_not_framed_or_sniffed()
    {
        var anonymous = factory.CreateClient();

        foreach (var path in new[] { "/dashboard", "/dashboard/dashboard.js" })
        {
            var response = await anonymous.GetAsync(path);
            var policy = response.Headers.GetValues("Content-Security-Policy").Single();
            Assert.Contains("script-src 'self'", policy);
            Assert.Contains("frame-ancestors 'none'", policy);
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        }

        Assert.Equal("nosniff", (await anonymous.GetAsync("/v1/catalog")).Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task Alerts_need_a_read_key_and_list_what_the_monitor_opened()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.Client(key: null).GetAsync("/v1/alerts")).StatusCode);
        var admin = factory.Client();
        var call = LedgerHttp.Call("alerts-unknown-model", model: "our-mystery-model", at: DateTimeOffset.UtcNow);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJsonAsync("/v1/usage", call)).StatusCode);

        await factory.Services.GetRequiredService<AlertMonitor>().EvaluateOnceAsync(default);

        var alerts = await (await admin.GetAsync("/v1/alerts")).JsonAsync();
        var open = Assert.Single(alerts.GetProperty("open").EnumerateArray(), a => a.GetProperty("rule_id").GetString() == "fallback-pricing");
        Assert.Equal("open", open.GetProperty("status").GetString());
        Assert.EndsWith(":our-mystery-model", open.GetProperty("key").GetString());
        Assert.Contains("our-mystery-model", open.GetProperty("title").GetString());
        Assert.False(alerts.GetProperty("webhook_configured").GetBoolean());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, alerts.GetProperty("last_evaluated_at").ValueKind);
    }
}
