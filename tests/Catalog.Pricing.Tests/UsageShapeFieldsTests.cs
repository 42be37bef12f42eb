using System.Text.Json;
using System.Text.Json.Nodes;

namespace Catalog.Pricing.Tests;

/// <summary>What <see cref="UsageReader.FieldsOf"/> says a shape's reader knows is what the reader accepts (the API documents that list).</summary>
public sealed class UsageShapeFieldsTests
{
    public static TheoryData<UsageShape> Shapes => new(Enum.GetValues<UsageShape>().Where(s => s != UsageShape.None));

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_field_the_shape_lists_is_read_as_that_shape_and_none_is_left_unpriced(UsageShape shape)
    {
        var fields = UsageReader.FieldsOf(shape).Where(f => !OtherVariantMarkers(shape).Contains(f)).ToList();
        Assert.NotEmpty(fields);
        var usage = new JsonObject();
        foreach (var field in fields)
        {
            var dot = field.IndexOf('.');
            if (dot < 0)
            {
                usage[field] ??= field.EndsWith("TokensDetails", StringComparison.Ordinal) ? new JsonArray() : Count(field);
            }
            else
            {
                var parent = (usage[field[..dot]] as JsonObject) ?? new JsonObject();
                usage[field[..dot]] = parent;
                parent[field[(dot + 1)..]] = 1;
            }
        }

        using var document = JsonDocument.Parse(usage.ToJsonString());
        var result = UsageReader.Read(document.RootElement);

        Assert.True(result.Ok, $"{usage.ToJsonString()}: {result.Field}: {result.Error}");
        // The chat-completions variants (OpenAI, xAI, Perplexity, OpenRouter, DeepSeek) share one reader: each knows
        // the others' fields, and the fields present tell which variant it is.
        Assert.True(shape == result.Shape || (shape == UsageShape.OpenAI && IsChat(result.Shape)), $"{usage.ToJsonString()} read as {result.Shape}");
        Assert.True(result.Unpriced.Count == 0, $"{usage.ToJsonString()}: unpriced {string.Join(", ", result.Unpriced)}");
    }

    /// <summary>The fields that tell the chat-completions variants apart (see UsageReader.Detect), but for <paramref name="shape"/>'s own.</summary>
    private static string[] OtherVariantMarkers(UsageShape shape) =>
    [
        .. new (UsageShape Variant, string[] Markers)[]
        {
            (UsageShape.DeepSeek, ["prompt_cache_hit_tokens", "prompt_cache_miss_tokens"]),
            (UsageShape.Perplexity, ["citation_tokens", "num_search_queries", "search_context_size"]),
            (UsageShape.OpenRouter, ["cost", "is_byok", "cost_details"]),
            (UsageShape.XAI, ["num_sources_used", "cached_prompt_text_tokens", "reasoning_tokens"]),
        }.Where(v => v.Variant != shape).SelectMany(v => v.Markers),
    ];

    private static bool IsChat(UsageShape shape) =>
        shape is UsageShape.OpenAI or UsageShape.XAI or UsageShape.Perplexity or UsageShape.OpenRouter or UsageShape.DeepSeek;

    /// <summary>The totals large enough to contain every other count (each 1).</summary>
    private static JsonNode Count(string field) => field switch
    {
        "cost" => 0.01m,
        "search_context_size" => "low",
        "input_tokens" or "output_tokens" or "total_tokens" or "prompt_tokens" or "completion_tokens" or "promptTokenCount" or "candidatesTokenCount"
            or "totalTokenCount" or "inputTokens" or "outputTokens" or "totalTokens" => 1_000_000,
        _ => 1,
    };

    [Fact]
    public void A_realtime_usage_without_cached_token_details_is_read_not_thrown()
    {
        using var document = JsonDocument.Parse("""{"total_tokens": 20, "input_tokens": 10, "output_tokens": 10, "input_token_details": {"text_tokens": 10, "audio_tokens": 0}, "output_token_details": {"text_tokens": 5, "audio_tokens": 5}}""");

        var result = UsageReader.Read(document.RootElement);

        Assert.True(result.Ok, result.Error);
        Assert.Equal(UsageShape.OpenAIRealtime, result.Shape);
        Assert.Equal((10, 10, 5), (result.Usage.InputTokens, result.Usage.OutputTokens, result.Usage.OutputAudioTokens));
    }
}
