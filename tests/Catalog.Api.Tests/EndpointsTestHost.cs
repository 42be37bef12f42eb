using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Catalog.Api.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Catalog.Api.Tests;

/// <summary>The service with a fake clock and its own endpoint event store, one per test.</summary>
public sealed class EndpointsTestHost : WebApplicationFactory<Program>
{
    public static readonly DateTimeOffset Start = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Clock { get; } = new(Start);

    public async Task<(HttpStatusCode Status, JsonElement Json)> PostAsync(string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await CreateClient().PostAsync(path, content);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    public async Task<(HttpStatusCode Status, JsonElement Json)> GetAsync(string path)
    {
        using var response = await CreateClient().GetAsync(path);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    /// <summary>Posts one event <paramref name="seconds"/> after <see cref="Start"/>.</summary>
    public Task<(HttpStatusCode Status, JsonElement Json)> EventAsync(string endpoint, string status, int seconds, int replicas = 1) =>
        PostAsync($"/v1/endpoints/{endpoint}/events", $$"""{"status": "{{status}}", "replicas": {{replicas}}, "at": "{{Start.AddSeconds(seconds):O}}"}""");

    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<IEndpointEventStore, InMemoryEndpointEventStore>();
        });
}

public static class EndpointsAssertions
{
    /// <summary>Asserts a 400 whose errors name <paramref name="field"/>; returns its messages joined.</summary>
    public static string AssertInvalid(this (HttpStatusCode Status, JsonElement Json) response, string field)
    {
        Assert.True(response.Status == HttpStatusCode.BadRequest, $"expected 400, got {(int)response.Status}: {response.Json}");
        Assert.True(response.Json.GetProperty("errors").TryGetProperty(field, out var messages), $"errors do not name '{field}': {response.Json}");
        return string.Join(" ", messages.EnumerateArray().Select(m => m.GetString()));
    }
}
