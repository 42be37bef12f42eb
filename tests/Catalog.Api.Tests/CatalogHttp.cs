using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Catalog.Api.Tests;

/// <summary>A response read once: status, media type, the text exactly as sent (for money) and the parsed JSON.</summary>
public sealed record ApiResponse(HttpStatusCode Status, string? MediaType, string Text)
{
    public JsonElement Json => JsonDocument.Parse(Text).RootElement;

    /// <summary>Asserts a 4xx ProblemDetails whose <c>errors</c> name <paramref name="field"/>; returns the messages for that field.</summary>
    public string[] AssertValidationProblem(string field)
    {
        Assert.True(Status == HttpStatusCode.BadRequest, $"expected 400, got {(int)Status}: {Text}");
        Assert.Equal("application/problem+json", MediaType);
        Assert.False(string.IsNullOrWhiteSpace(Json.GetProperty("detail").GetString()));
        var errors = Json.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"errors do not name '{field}': {Text}");
        return messages.EnumerateArray().Select(m => m.GetString()!).ToArray();
    }
}

public static class CatalogHttp
{
    public static Task<ApiResponse> PostJsonTextAsync(this HttpClient client, string path, string json) =>
        client.PostBytesAsync(path, Encoding.UTF8.GetBytes(json));

    public static async Task<ApiResponse> PostBytesAsync(this HttpClient client, string path, byte[] body, string? contentType = "application/json")
    {
        using var content = new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await client.PostAsync(path, content);
        return await ReadAsync(response);
    }

    public static async Task<ApiResponse> GetTextAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return await ReadAsync(response);
    }

    private static async Task<ApiResponse> ReadAsync(HttpResponseMessage response) =>
        new(response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
}
