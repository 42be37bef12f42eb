using static Catalog.Pricing.Tests.TestCatalog;

namespace Catalog.Pricing.Tests;

/// <summary>
/// The published prices of the dimensions beyond text in the built-in catalogue (pricing.yaml, each with its
/// source): web searches, data residency, batch, flex and priority tiers, audio and image tokens.
/// </summary>
public sealed class PublishedDimensionPricesTests
{
    private static readonly PricingEngine Real = RealEngine();

    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    // Anthropic: $10 per 1,000 web searches; the Message Batches API halves every price, searches included.
    [InlineData("claude-sonnet-4-5", 1000, 100, 0, 0, 2, null, null, 0.0045 + 0.02)]
    [InlineData("claude-sonnet-4-5", 1000, 100, 0, 0, 2, "batch", null, (0.0045 + 0.02) / 2)]
    // US-only inference is 1.1x on Sonnet 4.6 and later, and not on Sonnet 4.5.
    [InlineData("claude-sonnet-4-6", 1000, 100, 0, 0, 0, null, "us", 0.0045 * 1.1)]
    [InlineData("claude-sonnet-4-5", 1000, 100, 0, 0, 0, null, "us", 0.0045)]
    // OpenAI: Priority processing has its own prices ($4.25 / $17 for GPT-4o); Flex halves them.
    [InlineData("gpt-4o", 1000, 100, 0, 0, 0, "priority", null, 0.00425 + 0.0017)]
    [InlineData("gpt-4o", 1000, 100, 0, 0, 0, "flex", null, (0.0025 + 0.001) / 2)]
    // gpt-4o-audio-preview: audio at $40 in and $80 out, text at $2.50 and $10.
    [InlineData("gpt-4o-audio-preview", 1000, 500, 600, 300, 0, null, null, 0.001 + 0.024 + 0.002 + 0.024)]
    // Gemini 2.5 Flash: audio input $1 per million beside text's $0.30.
    [InlineData("gemini-2.5-flash", 1000, 100, 600, 0, 0, null, null, 0.00012 + 0.0006 + 0.00025)]
    public void A_call_is_charged_the_published_price_of_each_dimension(string model, long input, long output, long audioIn, long audioOut, long searches, string? tier, string? region, double expected)
    {
        var usage = new TokenUsage(input, output) { InputAudioTokens = audioIn, OutputAudioTokens = audioOut, WebSearches = searches };

        var cost = Real.Price(model, null, usage, Now, tier, region);

        Assert.Equal(Math.Round((decimal)expected, 12), Math.Round(cost.TotalUsd, 12));
    }

    [Theory]
    // OpenAI's data-residency endpoints ({region}.api.openai.com) are 1.1x for models released on or after 2026-03-05.
    [InlineData("gpt-5.4", "eu", 1.1)]
    [InlineData("gpt-5.5", "us", 1.1)]
    [InlineData("gpt-5.6-sol", "jp", 1.1)]
    [InlineData("gpt-realtime-2.1-mini", "au", 1.1)]
    [InlineData("gpt-4o", "eu", 1.0)]
    [InlineData("gpt-5.4", null, 1.0)]
    public void A_data_residency_endpoint_costs_a_tenth_more_on_the_newer_openai_models(string model, string? region, double factor)
    {
        var usage = new TokenUsage(1000, 100, CacheReadTokens: 200);

        var regional = Real.Price(model, null, usage, Now, null, region);
        var global = Real.Price(model, null, usage, Now);

        Assert.Equal(global.TotalUsd * (decimal)factor, regional.TotalUsd);
    }

    [Theory]
    // The realtime models price image input ($5 per million on gpt-realtime, 1.5 and 2; $0.80 on 2.1 mini), cached at a tenth.
    [InlineData("gpt-realtime", 5, 0.5)]
    [InlineData("gpt-realtime-1.5", 5, 0.5)]
    [InlineData("gpt-realtime-2", 5, 0.5)]
    [InlineData("gpt-realtime-2.1-mini", 0.8, 0.08)]
    public void A_realtime_model_charges_image_input_at_its_image_prices(string model, double image, double cachedImage)
    {
        // 1,000 input tokens: 300 image tokens of which 100 cached, and 700 text; no output.
        var usage = new TokenUsage(1000, 0, CacheReadTokens: 100) { InputImageTokens = 300, CacheImageReadTokens = 100 };
        var text = Real.Price(model, null, new TokenUsage(700, 0), Now).TotalUsd;

        var cost = Real.Price(model, null, usage, Now);

        Assert.Equal(text + (200 * (decimal)image + 100 * (decimal)cachedImage) / 1_000_000, cost.TotalUsd);
    }

    [Fact]
    public void Gpt_image_1_charges_image_tokens_at_the_image_prices()
    {
        // The Images API's usage: 50 text and 500 image tokens in (100 of the image tokens cached), 4160 image tokens out.
        var usage = new TokenUsage(550, 4160, CacheReadTokens: 100) { InputImageTokens = 500, CacheImageReadTokens = 100, OutputImageTokens = 4160 };

        var cost = Real.Price("gpt-image-1", null, usage, Now);

        Assert.Equal(50 * 5m / 1_000_000 + 400 * 10m / 1_000_000 + 100 * 2.5m / 1_000_000 + 4160 * 40m / 1_000_000, cost.TotalUsd);
    }
}
