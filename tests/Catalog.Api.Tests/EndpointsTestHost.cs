using System.Net;
using System.Text.Json;
using Catalog.Api.Tests.Ledger;
using Microsoft.Extensions.Time.Testing;

namespace Catalog.Api.Tests;

/// <summary>The service on a ledger file of its own with a fake clock at <see cref="Start"/>; requests as the admin unless a key is given.</summary>
public static class EndpointsTestHost
{
    public static readonly DateTimeOffset Start = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    public static LedgerApiFactory Create() => new() { Clock = new FakeTimeProvider(Start) };

    public static Task<ApiResponse> PostAsync(this LedgerApiFactory api, string path, string json, string? key = LedgerApiFactory.AdminKey) =>
        api.Client(key).PostJsonTextAsync(path, json);

    public static Task<ApiResponse> GetAsync(this LedgerApiFactory api, string path, string? key = LedgerApiFactory.AdminKey) =>
        api.Client(key).GetTextAsync(path);

    public static void Deconstruct(this ApiResponse response, out HttpStatusCode status, out JsonElement json) =>
        (status, json) = (response.Status, response.Json);

    /// <summary>Posts one event <paramref name="seconds"/> after <see cref="Start"/>.</summary>
    public static Task<ApiResponse> EventAsync(this LedgerApiFactory api, string endpoint, string status, int seconds, int replicas = 1) =>
        api.PostAsync($"/v1/endpoints/{endpoint}/events", $$"""{"status": "{{status}}", "replicas": {{replicas}}, "at": "{{Start.AddSeconds(seconds):O}}"}""");

    /// <summary>Records a call in the ledger, tagged with <paramref name="endpoint"/> when given.</summary>
    public static async Task RecordCallAsync(this LedgerApiFactory api, string id, string? endpoint, int input, int output, DateTimeOffset at)
    {
        var call = LedgerHttp.Call(id, input: input, output: output, at: at);
        if (endpoint is not null)
        {
            call["endpoint"] = endpoint;
        }

        using var response = await api.Client().PostJsonAsync("/v1/usage", call);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    public static void Advance(this LedgerApiFactory api, TimeSpan by) => api.Clock!.Advance(by);
}
