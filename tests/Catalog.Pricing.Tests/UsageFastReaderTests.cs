using System.Text;
using System.Text.Json;
using Catalog.Tests.Shared;

namespace Catalog.Pricing.Tests;

/// <summary>
/// The fast usage reader may decline any usage, but whenever it answers, its answer is the general reader's: the same
/// counts, shape, service tier and region, and the general reader finds nothing wrong and nothing unpriced.
/// </summary>
public sealed class UsageFastReaderTests
{
    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false };

    [Fact]
    public void Whenever_the_fast_reader_answers_it_is_the_general_readers_answer()
    {
        var random = new Random(17);
        var answered = new Dictionary<UsageShape, int>();
        var declined = 0;
        for (var i = 0; i < 30_000; i++)
        {
            var json = UsageSamples.Usage(random);
            var bytes = Encoding.UTF8.GetBytes(json);
            var fast = TryFast(bytes, out var usage);
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(bytes, Strict);
            }
            catch (JsonException)
            {
                // A repeated field: the request is refused whole, so the fast reader must not take it.
                Assert.False(fast, json);
                continue;
            }

            using (document)
            {
                var general = UsageReader.Read(document.RootElement);
                if (!fast)
                {
                    declined++;
                    continue;
                }

                Assert.True(general.Ok, $"{json}: {general.Error}");
                Assert.Empty(general.Unpriced);
                Assert.Null(general.ReportedCostUsd);
                Assert.Equal((general.Usage, general.Shape, general.ServiceTier, general.Region), (usage.Usage, usage.Shape, usage.ServiceTier, usage.Region));
                answered[usage.Shape] = answered.GetValueOrDefault(usage.Shape) + 1;
            }
        }

        // The generator reaches each shape the fast reader takes, and plenty it declines.
        Assert.All([UsageShape.Canonical, UsageShape.OpenAI, UsageShape.Anthropic], shape => Assert.True(answered.GetValueOrDefault(shape) > 1_000, $"{shape}: {answered.GetValueOrDefault(shape)}"));
        Assert.True(declined > 5_000, $"declined {declined}");
    }

    [Theory]
    [InlineData("""{"input_tokens":1000,"output_tokens":500,"cache_read_tokens":200}""", UsageShape.Canonical)]
    [InlineData("""{"prompt_tokens":1000,"completion_tokens":500,"total_tokens":1500,"prompt_tokens_details":{"cached_tokens":200,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":100,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}""", UsageShape.OpenAI)]
    [InlineData("""{"input_tokens":10,"cache_creation_input_tokens":300,"cache_read_input_tokens":200,"cache_creation":{"ephemeral_5m_input_tokens":100,"ephemeral_1h_input_tokens":200},"output_tokens":50,"service_tier":"standard","server_tool_use":{"web_search_requests":1}}""", UsageShape.Anthropic)]
    public void The_documented_shapes_are_read_fast(string json, UsageShape shape)
    {
        Assert.True(TryFast(Encoding.UTF8.GetBytes(json), out var usage));
        using var document = JsonDocument.Parse(json);
        var general = UsageReader.Read(document.RootElement);
        Assert.Equal(shape, usage.Shape);
        Assert.Equal((general.Usage, general.Shape, general.ServiceTier, general.Region), (usage.Usage, usage.Shape, usage.ServiceTier, usage.Region));
    }

    [Theory]
    [InlineData("""{"input_tokens":1000,"x_tokens":5}""")]
    [InlineData("""{"input_tokens":1000,"input_tokens":5}""")]
    [InlineData("""{"\u0069nput_tokens":1000}""")]
    [InlineData("""{"input_tokens":1.5}""")]
    [InlineData("""{"input_tokens":-1}""")]
    [InlineData("""{"input_tokens":null}""")]
    [InlineData("""{"input_tokens":100,"cache_read_tokens":200}""")]
    [InlineData("""{"prompt_tokens":100,"completion_tokens":5,"reasoning_tokens":3}""")]
    [InlineData("""{"input_tokens":100,"cache_read_input_tokens":5,"cache_read_tokens":3}""")]
    [InlineData("""{"input_tokens":100,"cache_creation_input_tokens":5,"cache_creation":{"ephemeral_5m_input_tokens":1}}""")]
    [InlineData("""{"input_tokens":100,"service_tier":"caf\u00e9"}""")]
    [InlineData("""{"promptTokenCount":100}""")]
    public void Anything_unusual_is_left_to_the_general_reader(string json) =>
        Assert.False(TryFast(Encoding.UTF8.GetBytes(json), out _));

    private static bool TryFast(byte[] json, out FastUsage usage)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        return UsageFastReader.TryRead(ref reader, out usage) && reader.TokenType == JsonTokenType.EndObject && reader.BytesConsumed == json.Length;
    }
}
