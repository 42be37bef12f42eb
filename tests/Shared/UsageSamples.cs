using System.Text;

namespace Catalog.Tests.Shared;

/// <summary>
/// Usage objects as JSON text for differential tests: mostly the shapes providers document (canonical, OpenAI Chat
/// Completions, Anthropic Messages), with the fields of the other shapes, unknown fields, repeated fields, escaped names,
/// nulls, strings, fractions, negative and huge counts and mismatched cache splits mixed in, so every branch of a reader
/// (and every error) is reached. The same seed gives the same usages.
/// </summary>
public static class UsageSamples
{
    private static readonly string[] CanonicalFields = ["input_tokens", "output_tokens", "total_tokens", "cache_read_tokens", "cache_write_tokens", "cache_write_1h_tokens", "input_audio_tokens", "cache_audio_read_tokens", "input_image_tokens", "cache_image_read_tokens", "input_video_tokens", "output_audio_tokens", "output_image_tokens", "output_video_tokens", "output_reasoning_tokens", "web_searches"];
    private static readonly string[] ChatFields = ["prompt_tokens", "completion_tokens", "total_tokens", "prompt_tokens_details", "completion_tokens_details"];
    private static readonly string[] AnthropicFields = ["input_tokens", "output_tokens", "cache_creation_input_tokens", "cache_read_input_tokens", "cache_creation", "server_tool_use", "service_tier", "inference_geo"];
    private static readonly string[] OtherFields = ["promptTokenCount", "candidatesTokenCount", "totalTokenCount", "cachedContentTokenCount", "thoughtsTokenCount", "inputTokens", "outputTokens", "cacheReadInputTokens", "billed_units", "prompt_cache_hit_tokens", "prompt_cache_miss_tokens", "citation_tokens", "num_search_queries", "cost", "is_byok", "reasoning_tokens", "cached_prompt_text_tokens", "input_tokens_details", "output_tokens_details", "input_token_details", "x_tokens", "note"];

    private static readonly Dictionary<string, string[]> Inner = new()
    {
        ["prompt_tokens_details"] = ["cached_tokens", "audio_tokens", "text_tokens", "image_tokens", "cache_write_tokens", "x_tokens"],
        ["completion_tokens_details"] = ["reasoning_tokens", "audio_tokens", "accepted_prediction_tokens", "rejected_prediction_tokens", "text_tokens", "image_tokens", "x_tokens"],
        ["cache_creation"] = ["ephemeral_5m_input_tokens", "ephemeral_1h_input_tokens", "x_tokens"],
        ["server_tool_use"] = ["web_search_requests", "web_fetch_requests", "x_requests"],
        ["input_tokens_details"] = ["cached_tokens", "image_tokens", "text_tokens"],
        ["output_tokens_details"] = ["reasoning_tokens", "thinking_tokens", "image_tokens"],
        ["input_token_details"] = ["cached_tokens", "audio_tokens", "text_tokens"],
        ["billed_units"] = ["input_tokens", "output_tokens"],
    };

    private static readonly string[] Containers = ["input_tokens", "output_tokens", "prompt_tokens", "completion_tokens", "total_tokens"];
    private static readonly string[] Nested = ["cache_write_1h_tokens", "cache_audio_read_tokens", "cache_image_read_tokens"];
    private static readonly string[] Texts = ["standard", "priority", "batch", "us", "eu", "", " standard ", "caf\u00e9", "st\\u0061ndard", "a\\\"b"];
    private static readonly string[] OddValues = ["0", "-1", "1.5", "1.0", "2e3", "1000000000001", "1000000000000", "\"12\"", "null", "true", "{}", "[]"];

    /// <summary>A usage object as JSON text.</summary>
    public static string Usage(Random random)
    {
        var family = random.Next(10) switch
        {
            < 3 => CanonicalFields,
            < 6 => ChatFields,
            < 9 => AnthropicFields,
            _ => OtherFields,
        };

        var fields = new List<(string Name, string Value)>();
        foreach (var name in family)
        {
            if (random.Next(3) > 0)
            {
                fields.Add((name, Value(random, name)));
            }
        }

        // Anthropic's split of the cache writes mostly agrees with their total.
        var creation = fields.FindIndex(f => f.Name == "cache_creation_input_tokens");
        var split = fields.FindIndex(f => f.Name == "cache_creation");
        if (creation >= 0 && split >= 0 && random.Next(4) > 0)
        {
            var (fiveMinutes, oneHour) = (random.Next(0, 5_000), random.Next(0, 5_000));
            fields[creation] = (fields[creation].Name, (fiveMinutes + oneHour).ToString(System.Globalization.CultureInfo.InvariantCulture));
            fields[split] = ("cache_creation", $$"""{"ephemeral_5m_input_tokens":{{fiveMinutes}},"ephemeral_1h_input_tokens":{{oneHour}}}""");
        }

        switch (random.Next(12))
        {
            case 0:
                fields.Add((OtherFields[random.Next(OtherFields.Length)], Value(random, "x")));
                break;
            case 1:
                fields.Add((CanonicalFields[random.Next(CanonicalFields.Length)], Value(random, "x")));
                break;
            case 2 when fields.Count > 0:
                fields.Add(fields[random.Next(fields.Count)]);
                break;
            case 3 when fields.Count > 0:
                var escaped = random.Next(fields.Count);
                fields[escaped] = ("\\u00" + ((int)fields[escaped].Name[0]).ToString("x2", System.Globalization.CultureInfo.InvariantCulture) + fields[escaped].Name[1..], fields[escaped].Value);
                break;
            case 4:
                fields.Add((AnthropicFields[random.Next(AnthropicFields.Length)], Value(random, "x")));
                break;
        }

        var json = new StringBuilder("{");
        foreach (var (name, value) in fields.OrderBy(_ => random.Next()))
        {
            json.Append(json.Length > 1 ? "," : string.Empty).Append('"').Append(name).Append("\":").Append(value);
        }

        return json.Append('}').ToString();
    }

    private static string Value(Random random, string name)
    {
        if (random.Next(14) == 0)
        {
            return OddValues[random.Next(OddValues.Length)];
        }

        if (name is "service_tier" or "inference_geo")
        {
            return $"\"{Texts[random.Next(Texts.Length)]}\"";
        }

        if (Inner.TryGetValue(name, out var inner))
        {
            var parts = inner.Where(_ => random.Next(2) == 0).Select(part => $"\"{part}\":{Value(random, part)}");
            return "{" + string.Join(",", parts) + "}";
        }

        // Counts inside a part of the input (the 1-hour writes, cached audio and images) are mostly 0, so that most usages add up.
        return (Containers.Contains(name) ? random.Next(50_000, 200_000)
            : random.Next(0, 3) == 0 || (Nested.Contains(name) && random.Next(0, 4) > 0) ? 0
            : random.Next(0, 12_000)).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
