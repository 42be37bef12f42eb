using System.Net.Http.Headers;
using System.Text.Json;

namespace Catalog.Cli.LiteLlm;

/// <summary>Reads a LiteLLM proxy's <c>GET /model/info</c>; every failure becomes one clear message.</summary>
internal static class LiteLlmProxy
{
    public static async Task<JsonDocument> ModelInfo(string url, string? key, TimeSpan timeout)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var proxy) || proxy.Scheme is not ("http" or "https"))
        {
            throw new UsageException($"--url must be the proxy's http(s) address, such as http://localhost:4000, not '{url}'");
        }

        var endpoint = new Uri(url.TrimEnd('/') + "/model/info");
        using var http = new HttpClient { Timeout = timeout };
        using var request = new HttpRequestMessage(HttpMethod.Get, endpoint);
        if (!string.IsNullOrEmpty(key))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request);
        }
        catch (HttpRequestException ex)
        {
            throw new CliException($"cannot reach the LiteLLM proxy at {endpoint}: {ex.Message}; check --url and that the proxy is running");
        }
        catch (TaskCanceledException)
        {
            throw new CliException($"the LiteLLM proxy at {endpoint} did not answer within {timeout.TotalSeconds:0} s");
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var hint = response.StatusCode is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden
                    ? "; pass --key (or set LITELLM_API_KEY) with a key that may read model info"
                    : string.Empty;
                throw new CliException($"{endpoint} answered {(int)response.StatusCode} {response.ReasonPhrase}{hint}");
            }

            var body = await response.Content.ReadAsStringAsync();
            try
            {
                return JsonDocument.Parse(body);
            }
            catch (JsonException ex)
            {
                throw new CliException($"{endpoint} did not answer with JSON: {ex.Message}");
            }
        }
    }
}
