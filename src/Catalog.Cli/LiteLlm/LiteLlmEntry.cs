using System.Text.Json;

namespace Catalog.Cli.LiteLlm;

/// <summary>Reading the fields LiteLLM's model map and a proxy's model_info share.</summary>
internal static class LiteLlmEntry
{
    /// <summary>Modes whose calls are priced per prompt and completion token: the ones the catalogue prices.</summary>
    public static bool IsTokenPriced(string mode) => mode is "chat" or "responses" or "completion";

    public static string NotTokenPriced(string mode) => $"mode '{mode}' is not priced per token by the catalogue";

    public static string? Text(JsonElement element, string key) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
