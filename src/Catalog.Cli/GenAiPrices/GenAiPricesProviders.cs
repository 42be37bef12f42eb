namespace Catalog.Cli.GenAiPrices;

/// <summary>A genai-prices provider as the catalogue names it.</summary>
/// <param name="Id">the catalogue's provider id</param>
/// <param name="Name">display name, for a provider the catalogue does not have yet</param>
/// <param name="Source">the provider's pricing page, when genai-prices' first pricing URL is not it</param>
/// <param name="RouterSuffix">Hugging Face router: the <c>:provider</c> suffix its model names carry</param>
internal sealed record CatalogueProvider(string Id, string Name, string? Source = null, string? RouterSuffix = null);

/// <summary>genai-prices' provider ids (<c>aws</c>, <c>x-ai</c>, <c>huggingface_novita</c>...) to the catalogue's.</summary>
internal static class GenAiPricesProviders
{
    private const string HuggingFacePricing = "https://huggingface.co/docs/inference-providers/pricing";

    private static readonly Dictionary<string, CatalogueProvider> ToCatalogue = new(StringComparer.Ordinal)
    {
        ["anthropic"] = new("anthropic", "Anthropic"),
        ["avian"] = new("avian", "Avian"),
        ["aws"] = new("bedrock", "Amazon Bedrock"),
        ["azure"] = new("azure", "Azure OpenAI"),
        ["cerebras"] = new("cerebras", "Cerebras", "https://www.cerebras.ai/pricing"),
        ["cohere"] = new("cohere", "Cohere"),
        ["deepseek"] = new("deepseek", "DeepSeek"),
        ["doubleword"] = new("doubleword", "Doubleword"),
        ["fireworks"] = new("fireworks", "Fireworks AI"),
        ["google"] = new("google", "Google"),
        ["groq"] = new("groq", "Groq"),
        ["minimax"] = new("minimax", "MiniMax"),
        ["mistral"] = new("mistral", "Mistral AI"),
        ["moonshotai"] = new("moonshotai", "Moonshot AI"),
        ["novita"] = new("novita", "Novita AI"),
        ["openai"] = new("openai", "OpenAI"),
        ["openrouter"] = new("openrouter", "OpenRouter"),
        ["ovhcloud"] = new("ovhcloud", "OVHcloud AI Endpoints", "https://www.ovhcloud.com/en/public-cloud/ai-endpoints/"),
        ["perplexity"] = new("perplexity", "Perplexity"),
        ["together"] = new("together", "Together AI"),
        ["voyageai"] = new("voyage", "Voyage AI"),
        ["x-ai"] = new("xai", "xAI"),
        ["zhipuai"] = new("zhipu", "Zhipu AI (Z.ai)"),
    };

    /// <summary>Vertex AI's partner models (Anthropic's Claude) that genai-prices lists under Google.</summary>
    private static readonly CatalogueProvider Vertex = new("vertex", "Google Vertex AI", "https://cloud.google.com/vertex-ai/generative-ai/pricing");

    /// <summary>The catalogue provider of a genai-prices model, or null when the provider has no counterpart.</summary>
    public static CatalogueProvider? Map(string provider, string modelId)
    {
        if (provider == "google" && modelId.StartsWith("claude-", StringComparison.Ordinal))
        {
            return Vertex;
        }

        if (ToCatalogue.TryGetValue(provider, out var mapped))
        {
            return mapped;
        }

        // huggingface_novita: the Hugging Face router's 'novita' provider, whose names end in ':novita'.
        const string huggingFace = "huggingface_";
        if (provider.StartsWith(huggingFace, StringComparison.Ordinal) && provider.Length > huggingFace.Length)
        {
            var router = provider[huggingFace.Length..];
            return new CatalogueProvider("huggingface-" + router.Replace("-ai", string.Empty, StringComparison.Ordinal), $"Hugging Face Inference Providers ({router})", HuggingFacePricing, router);
        }

        return null;
    }

    /// <summary>Every catalogue provider id a genai-prices provider's models may go to (google: google and vertex).</summary>
    public static IEnumerable<string> CatalogueIds(string provider)
    {
        if (provider == "google")
        {
            yield return Vertex.Id;
        }

        if (Map(provider, string.Empty) is { } mapped)
        {
            yield return mapped.Id;
        }
    }
}
