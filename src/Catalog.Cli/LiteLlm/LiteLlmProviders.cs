namespace Catalog.Cli.LiteLlm;

/// <summary>LiteLLM's provider names (<c>litellm_provider</c>, and the prefix of a proxy's <c>litellm_params.model</c>) to the catalogue's provider ids.</summary>
internal static class LiteLlmProviders
{
    private static readonly Dictionary<string, string> ToCatalogue = new(StringComparer.OrdinalIgnoreCase)
    {
        ["anthropic"] = "anthropic",
        ["openai"] = "openai",
        ["text-completion-openai"] = "openai",
        ["gemini"] = "google",
        ["vertex_ai"] = "google",
        ["mistral"] = "mistral",
        ["codestral"] = "mistral",
        ["text-completion-codestral"] = "mistral",
        ["deepseek"] = "deepseek",
        ["xai"] = "xai",
        ["groq"] = "groq",
        ["huggingface"] = "huggingface",
        ["azure"] = "azure",
        ["azure_ai"] = "azure",
        ["bedrock"] = "bedrock",
        ["bedrock_converse"] = "bedrock",
        ["cerebras"] = "cerebras",
        ["cloudflare"] = "cloudflare",
        ["cohere"] = "cohere",
        ["cohere_chat"] = "cohere",
        ["fireworks_ai"] = "fireworks",
        ["minimax"] = "minimax",
        ["moonshot"] = "moonshotai",
        ["novita"] = "novita",
        ["openrouter"] = "openrouter",
        ["perplexity"] = "perplexity",
        ["together_ai"] = "together",
        ["voyage"] = "voyage",
        ["zhipu"] = "zhipu",
    };

    /// <summary>The catalogue's provider id for a LiteLLM provider name, or null when it has none.</summary>
    public static string? Map(string? litellmProvider)
    {
        if (string.IsNullOrEmpty(litellmProvider))
        {
            return null;
        }

        if (ToCatalogue.TryGetValue(litellmProvider, out var id))
        {
            return id;
        }

        // vertex_ai-language-models, vertex_ai-embedding-models, ...: Google's Vertex AI.
        return litellmProvider.StartsWith("vertex_ai-", StringComparison.OrdinalIgnoreCase) ? "google" : null;
    }

    /// <summary>Splits <c>openai/gpt-4o</c> into its LiteLLM provider and model id; a name without a known provider prefix has none.</summary>
    public static (string? Provider, string Id) Split(string name)
    {
        var slash = name.IndexOf('/');
        if (slash > 0 && Map(name[..slash]) is not null)
        {
            return (name[..slash], name[(slash + 1)..]);
        }

        return (null, name);
    }
}
