using System.Buffers;
using System.Collections.Frozen;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Catalog.Pricing;

/// <summary>The usage shapes providers return, detected by field names (genai-prices' extractors say what each field means).</summary>
public enum UsageShape
{
    None,
    Canonical,
    OpenAI,
    Anthropic,
    Google,
    OpenAIResponses,
    OpenAIImages,
    OpenAIRealtime,
    Bedrock,
    XAI,
    Perplexity,
    OpenRouter,
    DeepSeek,
    Cohere,
}

/// <summary>A number in the usage that no field of its shape prices: accepted, charged nothing, reported.</summary>
public sealed record UnpricedField(string Field, long Count);

/// <summary>The outcome of reading a usage object: canonical counts (and what the usage says besides), or the field at fault and how to fix it.</summary>
public readonly record struct UsageReadResult(bool Ok, TokenUsage Usage, UsageShape Shape, string? Field, string? Error)
{
    /// <summary>Numbers the shape does not map, by path (<c>usage.x_tokens</c>).</summary>
    public IReadOnlyList<UnpricedField> Unpriced { get; init; } = [];

    /// <summary>The service tier the usage reports (Anthropic's <c>service_tier</c>), or null.</summary>
    public string? ServiceTier { get; init; }

    /// <summary>The region the usage reports (Anthropic's <c>inference_geo</c>), or null.</summary>
    public string? Region { get; init; }

    /// <summary>The cost the provider reported in the usage (OpenRouter's <c>cost</c>), or null.</summary>
    public decimal? ReportedCostUsd { get; init; }

    public static UsageReadResult Success(TokenUsage usage, UsageShape shape) => new(true, usage, shape, null, null);

    public static UsageReadResult Failure(string field, string error) => new(false, default, UsageShape.None, field, error);
}

/// <summary>
/// Reads usage in the shape the provider returned it into canonical counts, each field meaning what
/// genai-prices' extractor for that provider and API says. A number the shape does not map is never an
/// error: it is listed in <see cref="UsageReadResult.Unpriced"/>. A known field of the wrong type is.
/// </summary>
public static class UsageReader
{
    /// <summary>Shapes whose fields are spelt alike (input_tokens ...): at most one family may appear in one usage.</summary>
    private static readonly (string Family, string[] Fields)[] Families =
    [
        ("canonical, Anthropic or OpenAI Responses (input_tokens, output_tokens)", ["input_tokens", "output_tokens"]),
        ("OpenAI Chat Completions (prompt_tokens, completion_tokens)", ["prompt_tokens", "completion_tokens"]),
        ("Google (promptTokenCount, candidatesTokenCount)", ["promptTokenCount", "candidatesTokenCount", "cachedContentTokenCount", "thoughtsTokenCount", "toolUsePromptTokenCount"]),
        ("Amazon Bedrock Converse (inputTokens, outputTokens)", ["inputTokens", "outputTokens", "cacheReadInputTokens", "cacheWriteInputTokens"]),
        ("Cohere (billed_units)", ["billed_units"]),
    ];

    private static readonly string[] CanonicalMarkers = ["cache_read_tokens", "cache_write_tokens", "cache_write_1h_tokens", "input_audio_tokens", "cache_audio_read_tokens", "input_image_tokens", "cache_image_read_tokens", "input_video_tokens", "output_audio_tokens", "output_image_tokens", "output_video_tokens", "output_reasoning_tokens", "web_searches"];
    private static readonly string[] AnthropicMarkers = ["cache_creation_input_tokens", "cache_read_input_tokens", "cache_creation", "server_tool_use", "service_tier", "inference_geo"];

    /// <summary>
    /// Every top-level field name the shape is told by, each a bit of a mask: the usage's fields are looked up once
    /// each (<see cref="Present"/>), and the shape is then told by bit tests rather than by a lookup per name asked.
    /// </summary>
    private static readonly FrozenDictionary<string, int> ShapeFields = Families.SelectMany(f => f.Fields)
        .Concat(CanonicalMarkers).Concat(AnthropicMarkers)
        .Concat(["prompt_tokens_details", "completion_tokens_details", "prompt_cache_hit_tokens", "prompt_cache_miss_tokens", "citation_tokens", "num_search_queries", "search_context_size", "cost", "is_byok", "cost_details", "num_sources_used", "cached_prompt_text_tokens", "reasoning_tokens", "totalTokenCount", "promptTokensDetails", "input_token_details", "output_token_details", "input_tokens_details", "output_tokens_details"])
        .Distinct(StringComparer.Ordinal)
        .Select((name, bit) => (name, bit))
        .ToFrozenDictionary(f => f.name, f => f.bit, StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> ShapeFieldsBySpan = ShapeFields.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly int LongestShapeField = ShapeFields.Keys.Max(name => name.Length);
    private static readonly ulong[] FamilyMasks = [.. Families.Select(f => Mask(f.Fields))];
    private static readonly ulong ChatMask = Mask("prompt_tokens", "completion_tokens", "prompt_tokens_details", "completion_tokens_details");
    private static readonly ulong DeepSeekMask = Mask("prompt_cache_hit_tokens", "prompt_cache_miss_tokens");
    private static readonly ulong PerplexityMask = Mask("citation_tokens", "num_search_queries", "search_context_size");
    private static readonly ulong OpenRouterMask = Mask("cost", "is_byok", "cost_details");
    private static readonly ulong XaiMask = Mask("num_sources_used", "cached_prompt_text_tokens", "reasoning_tokens");
    private static readonly ulong GoogleMask = Mask("promptTokenCount", "candidatesTokenCount", "totalTokenCount", "cachedContentTokenCount", "thoughtsTokenCount", "toolUsePromptTokenCount", "promptTokensDetails");
    private static readonly ulong BedrockMask = Mask("inputTokens", "outputTokens", "cacheReadInputTokens", "cacheWriteInputTokens");
    private static readonly ulong CohereMask = Mask("billed_units");
    private static readonly ulong CanonicalMask = Mask(CanonicalMarkers);
    private static readonly ulong AnthropicMask = Mask(AnthropicMarkers);
    private static readonly ulong RealtimeMask = Mask("input_token_details", "output_token_details");
    private static readonly ulong ResponsesMask = Mask("input_tokens_details", "output_tokens_details");

    private static ulong Mask(params string[] names) => names.Aggregate(0UL, (mask, name) => mask | (1UL << ShapeFields[name]));

    /// <summary>Which of <see cref="ShapeFields"/> the usage object has, as a mask, from one pass over its fields.</summary>
    private static ulong Present(JsonElement usage)
    {
        var present = 0UL;
        Span<char> name = stackalloc char[LongestShapeField];
        foreach (var property in usage.EnumerateObject())
        {
            var raw = JsonMarshal.GetRawUtf8PropertyName(property);
            int bit;
            if (raw.Contains((byte)'\\'))
            {
                // An escaped name: unescaped the slow way (one that is not valid Unicode is no shape's field).
                if (ShapeFields.TryGetValue(JsonText.NameOf(property), out bit))
                {
                    present |= 1UL << bit;
                }
            }
            else if (raw.Length <= name.Length && Ascii.ToUtf16(raw, name, out var written) == OperationStatus.Done && ShapeFieldsBySpan.TryGetValue(name[..written], out bit))
            {
                present |= 1UL << bit;
            }
        }

        return present;
    }

    /// <summary>Reads <paramref name="usage"/> (a JSON object, or null/absent for "no usage"). Field names in errors are prefixed with <paramref name="path"/>.</summary>
    public static UsageReadResult Read(JsonElement usage, string path = "usage")
    {
        if (usage.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return UsageReadResult.Success(default, UsageShape.None);
        }

        if (usage.ValueKind != JsonValueKind.Object)
        {
            return UsageReadResult.Failure(path, "usage must be an object such as {\"input_tokens\": 1000, \"output_tokens\": 500}, or left out to estimate");
        }

        var present = Present(usage);
        string? family = null;
        for (var i = 0; i < Families.Length; i++)
        {
            if ((present & FamilyMasks[i]) != 0)
            {
                if (family is not null)
                {
                    return UsageReadResult.Failure(path, $"usage mixes fields of different provider shapes ({family}; {Families[i].Family}); send the usage object of one response exactly as the provider returned it");
                }

                family = Families[i].Family;
            }
        }

        var shape = Detect(usage, present);
        if (shape == UsageShape.None)
        {
            return UsageReadResult.Failure(path, "usage mixes fields of the canonical shape (input_tokens counts every prompt token, cache included) and Anthropic's (cache_creation_input_tokens, cache_read_input_tokens: beside input_tokens); send one shape");
        }

        var r = new FieldReader(usage, path);
        var counts = ReadShape(ref r, shape);

        if (r.Error is not null)
        {
            return UsageReadResult.Failure(r.ErrorField!, r.Error);
        }

        // Reasoning reported beside the output may exceed it; the engine places it by the provider's catalogue entry.
        var overflow = (counts with { OutputTokens = counts.OutputTokens + counts.DetailReasoningTokens }).Overflow();
        if (overflow is { } fault)
        {
            string Field(UsageUnit unit) => $"{path}.{FieldOf(shape, unit)}";
            return UsageReadResult.Failure(Field(fault.Unit), $"{fault.Describe(Field)}; send the usage exactly as the provider returned it");
        }

        return UsageReadResult.Success(counts, shape) with
        {
            Unpriced = r.Unpriced,
            ServiceTier = r.Text("service_tier"),
            Region = r.Text("inference_geo"),
            ReportedCostUsd = shape == UsageShape.OpenRouter ? r.Money("cost") : null,
        };
    }

    /// <summary>The field of a shape that holds a unit's count, for errors (the canonical name where the shape has no single field).</summary>
    private static TokenUsage ReadShape(ref FieldReader r, UsageShape shape) => shape switch
    {
        UsageShape.OpenAI or UsageShape.XAI or UsageShape.Perplexity or UsageShape.OpenRouter or UsageShape.DeepSeek => ReadChat(ref r, shape),
        UsageShape.OpenAIResponses => ReadResponses(ref r),
        UsageShape.OpenAIImages => ReadImages(ref r),
        UsageShape.OpenAIRealtime => ReadRealtime(ref r),
        UsageShape.Anthropic => ReadAnthropic(ref r),
        UsageShape.Google => ReadGoogle(ref r),
        UsageShape.Bedrock => ReadBedrock(ref r),
        UsageShape.Cohere => ReadCohere(ref r),
        _ => ReadCanonical(ref r),
    };

    /// <summary>
    /// The fields the reader of <paramref name="shape"/> knows, in reading order (<c>parent.child</c> for one
    /// object down), found by running that reader: what the API's documentation lists, so it cannot drift.
    /// </summary>
    public static IReadOnlyList<string> FieldsOf(UsageShape shape)
    {
        using var empty = JsonDocument.Parse("{}");
        var r = new FieldReader(empty.RootElement, "usage");
        _ = ReadShape(ref r, shape);
        return r.ReadFields;
    }

    private static string FieldOf(UsageShape shape, UsageUnit unit) => (shape, unit) switch
    {
        (UsageShape.OpenAI or UsageShape.XAI or UsageShape.Perplexity or UsageShape.OpenRouter or UsageShape.DeepSeek, UsageUnit.InputTokens) => "prompt_tokens",
        (UsageShape.OpenAI or UsageShape.XAI or UsageShape.Perplexity or UsageShape.OpenRouter or UsageShape.DeepSeek, UsageUnit.CacheReadTokens) => "prompt_tokens_details.cached_tokens",
        (UsageShape.OpenAI or UsageShape.XAI or UsageShape.Perplexity or UsageShape.OpenRouter or UsageShape.DeepSeek, UsageUnit.InputAudioTokens) => "prompt_tokens_details.audio_tokens",
        (UsageShape.OpenAI or UsageShape.XAI or UsageShape.Perplexity or UsageShape.OpenRouter or UsageShape.DeepSeek, UsageUnit.OutputTokens) => "completion_tokens",
        (UsageShape.OpenAI or UsageShape.XAI or UsageShape.Perplexity or UsageShape.OpenRouter or UsageShape.DeepSeek, UsageUnit.OutputAudioTokens) => "completion_tokens_details.audio_tokens",
        (UsageShape.OpenAI or UsageShape.XAI or UsageShape.Perplexity or UsageShape.OpenRouter or UsageShape.DeepSeek, UsageUnit.OutputReasoningTokens) => "completion_tokens_details.reasoning_tokens",
        (UsageShape.OpenAIResponses or UsageShape.OpenAIImages, UsageUnit.CacheReadTokens) => "input_tokens_details.cached_tokens",
        (UsageShape.OpenAIResponses, UsageUnit.OutputReasoningTokens) => "output_tokens_details.reasoning_tokens",
        (UsageShape.OpenAIImages, UsageUnit.InputImageTokens) => "input_tokens_details.image_tokens",
        (UsageShape.OpenAIImages, UsageUnit.OutputImageTokens) => "output_tokens_details.image_tokens",
        (UsageShape.OpenAIRealtime, UsageUnit.CacheReadTokens) => "input_token_details.cached_tokens",
        (UsageShape.OpenAIRealtime, UsageUnit.InputAudioTokens) => "input_token_details.audio_tokens",
        (UsageShape.OpenAIRealtime, UsageUnit.CacheAudioReadTokens) => "input_token_details.cached_tokens_details.audio_tokens",
        (UsageShape.OpenAIRealtime, UsageUnit.OutputAudioTokens) => "output_token_details.audio_tokens",
        (UsageShape.Google, UsageUnit.InputTokens) => "promptTokenCount",
        (UsageShape.Google, UsageUnit.CacheReadTokens) => "cachedContentTokenCount",
        (UsageShape.Google, UsageUnit.OutputTokens) => "candidatesTokenCount",
        (UsageShape.Google, UsageUnit.InputAudioTokens or UsageUnit.InputImageTokens or UsageUnit.InputVideoTokens) => "promptTokensDetails",
        (UsageShape.Google, UsageUnit.CacheAudioReadTokens or UsageUnit.CacheImageReadTokens) => "cacheTokensDetails",
        (UsageShape.Anthropic, UsageUnit.CacheWrite1hTokens) => "cache_creation.ephemeral_1h_input_tokens",
        (UsageShape.Anthropic, UsageUnit.OutputReasoningTokens) => "output_tokens_details.thinking_tokens",
        _ => UsageUnits.WireName(unit),
    };

    /// <summary>The <c>usage_shape</c> name of a shape.</summary>
    public static string ShapeName(UsageShape shape) => shape switch
    {
        UsageShape.OpenAI => "openai",
        UsageShape.OpenAIResponses => "openai_responses",
        UsageShape.OpenAIImages => "openai_images",
        UsageShape.OpenAIRealtime => "openai_realtime",
        UsageShape.Anthropic => "anthropic",
        UsageShape.Google => "google",
        UsageShape.Bedrock => "bedrock",
        UsageShape.XAI => "xai",
        UsageShape.Perplexity => "perplexity",
        UsageShape.OpenRouter => "openrouter",
        UsageShape.DeepSeek => "deepseek",
        UsageShape.Cohere => "cohere",
        UsageShape.Canonical => "canonical",
        _ => "none",
    };

    /// <summary>The shape, by the fields only it has (<paramref name="present"/>); <see cref="UsageShape.None"/> when canonical and Anthropic fields are mixed.</summary>
    private static UsageShape Detect(JsonElement u, ulong present)
    {
        bool Has(ulong mask) => (present & mask) != 0;
        bool HasIn(string parent, string name) => Has(1UL << ShapeFields[parent]) && u.TryGetProperty(parent, out var details) && details.ValueKind == JsonValueKind.Object && details.TryGetProperty(name, out _);

        if (Has(ChatMask))
        {
            return Has(DeepSeekMask) ? UsageShape.DeepSeek
                : Has(PerplexityMask) ? UsageShape.Perplexity
                : Has(OpenRouterMask) ? UsageShape.OpenRouter
                : Has(XaiMask) ? UsageShape.XAI
                : UsageShape.OpenAI;
        }

        if (Has(GoogleMask))
        {
            return UsageShape.Google;
        }

        if (Has(BedrockMask))
        {
            return UsageShape.Bedrock;
        }

        if (Has(CohereMask))
        {
            return UsageShape.Cohere;
        }

        var canonical = Has(CanonicalMask);
        var anthropic = Has(AnthropicMask) || HasIn("output_tokens_details", "thinking_tokens");
        if (canonical && anthropic)
        {
            return UsageShape.None;
        }

        return anthropic ? UsageShape.Anthropic
            : canonical ? UsageShape.Canonical
            : Has(RealtimeMask) ? UsageShape.OpenAIRealtime
            : HasIn("input_tokens_details", "image_tokens") || HasIn("input_tokens_details", "text_tokens") || HasIn("output_tokens_details", "image_tokens") ? UsageShape.OpenAIImages
            : Has(ResponsesMask) ? UsageShape.OpenAIResponses
            : UsageShape.Canonical;
    }

    private static TokenUsage ReadCanonical(ref FieldReader r)
    {
        r.Known("total_tokens");
        var usage = new TokenUsage(
            r.Count("input_tokens"),
            r.Count("output_tokens"),
            r.Count("cache_read_tokens") + r.Count("input_tokens_details", "cached_tokens"),
            r.Count("cache_write_tokens"),
            r.Count("cache_write_1h_tokens"))
        {
            InputAudioTokens = r.Count("input_audio_tokens"),
            CacheAudioReadTokens = r.Count("cache_audio_read_tokens"),
            InputImageTokens = r.Count("input_image_tokens"),
            CacheImageReadTokens = r.Count("cache_image_read_tokens"),
            InputVideoTokens = r.Count("input_video_tokens"),
            OutputAudioTokens = r.Count("output_audio_tokens"),
            OutputImageTokens = r.Count("output_image_tokens"),
            OutputVideoTokens = r.Count("output_video_tokens"),
            OutputReasoningTokens = r.Count("output_reasoning_tokens") + r.Count("output_tokens_details", "reasoning_tokens"),
            WebSearches = r.Count("web_searches"),
        };
        r.Done();
        return usage;
    }

    /// <summary>OpenAI Chat Completions and the providers that extend it (xAI, Perplexity, OpenRouter, DeepSeek).</summary>
    private static TokenUsage ReadChat(ref FieldReader r, UsageShape shape)
    {
        r.Known("total_tokens");
        r.Known("prompt_tokens_details", "text_tokens");
        r.Known("completion_tokens_details", "accepted_prediction_tokens", "rejected_prediction_tokens", "text_tokens");
        var detailReasoning = r.Count("completion_tokens_details", "reasoning_tokens");

        // Reported beside completion_tokens: xAI's and Perplexity's top-level reasoning, Perplexity's citations.
        var besideReasoning = r.Count("reasoning_tokens");
        var citations = r.Count("citation_tokens");
        var cacheRead = shape == UsageShape.DeepSeek && r.Has("prompt_cache_hit_tokens") ? r.Count("prompt_cache_hit_tokens")
            : shape == UsageShape.XAI && r.Has("cached_prompt_text_tokens") ? r.Count("cached_prompt_text_tokens")
            : r.Count("prompt_tokens_details", "cached_tokens");
        if (shape == UsageShape.DeepSeek)
        {
            r.Known("prompt_cache_miss_tokens");
            r.Known("prompt_tokens_details", "cached_tokens");
        }

        if (shape == UsageShape.XAI)
        {
            r.Known("prompt_tokens_details", "cached_tokens");
        }

        if (shape == UsageShape.OpenRouter)
        {
            r.Known("cost");
            r.Known("is_byok");
            r.Known("cost_details");
        }

        // xAI reports completion_tokens_details.reasoning_tokens beside the completion tokens.
        var detailBeside = shape == UsageShape.XAI;
        var usage = new TokenUsage(
            r.Count("prompt_tokens"),
            r.Count("completion_tokens") + besideReasoning + citations + (detailBeside ? detailReasoning : 0),
            cacheRead,
            r.Count("prompt_tokens_details", "cache_write_tokens"))
        {
            InputAudioTokens = r.Count("prompt_tokens_details", "audio_tokens"),
            InputImageTokens = r.Count("prompt_tokens_details", "image_tokens"),
            OutputAudioTokens = r.Count("completion_tokens_details", "audio_tokens"),
            OutputImageTokens = r.Count("completion_tokens_details", "image_tokens"),
            OutputReasoningTokens = detailReasoning + besideReasoning,
            DetailReasoningTokens = detailBeside ? 0 : detailReasoning,
            WebSearches = r.Count("num_search_queries"),
        };
        r.Known("search_context_size");
        r.Done();
        return usage;
    }

    private static TokenUsage ReadResponses(ref FieldReader r)
    {
        r.Known("total_tokens");
        var usage = new TokenUsage(
            r.Count("input_tokens"),
            r.Count("output_tokens"),
            r.Count("input_tokens_details", "cached_tokens"),
            r.Count("input_tokens_details", "cache_write_tokens"))
        {
            OutputReasoningTokens = r.Count("output_tokens_details", "reasoning_tokens"),
        };
        r.Done();
        return usage;
    }

    private static TokenUsage ReadImages(ref FieldReader r)
    {
        r.Known("total_tokens");
        r.Known("input_tokens_details", "text_tokens");
        r.Known("output_tokens_details", "text_tokens");
        var usage = new TokenUsage(r.Count("input_tokens"), r.Count("output_tokens"), r.Count("input_tokens_details", "cached_tokens"))
        {
            InputImageTokens = r.Count("input_tokens_details", "image_tokens"),
            OutputImageTokens = r.Count("output_tokens_details", "image_tokens"),
        };
        r.Done();
        return usage;
    }

    private static TokenUsage ReadRealtime(ref FieldReader r)
    {
        r.Known("total_tokens");
        var text = r.Count("input_token_details", "text_tokens");
        var audio = r.Count("input_token_details", "audio_tokens");
        var image = r.Count("input_token_details", "image_tokens");
        var outputText = r.Count("output_token_details", "text_tokens");
        var outputAudio = r.Count("output_token_details", "audio_tokens");
        var cachedDetails = r.Nested("input_token_details", "cached_tokens_details");
        cachedDetails.Known("text_tokens");
        var usage = new TokenUsage(
            r.Has("input_tokens") ? r.Count("input_tokens") : text + audio + image,
            r.Has("output_tokens") ? r.Count("output_tokens") : outputText + outputAudio,
            r.Count("input_token_details", "cached_tokens"))
        {
            InputAudioTokens = audio,
            InputImageTokens = image,
            CacheAudioReadTokens = cachedDetails.Count("audio_tokens"),
            CacheImageReadTokens = cachedDetails.Count("image_tokens"),
            OutputAudioTokens = outputAudio,
        };
        r.Adopt(ref cachedDetails);
        r.Done();
        return usage;
    }

    private static TokenUsage ReadAnthropic(ref FieldReader r)
    {
        var input = r.Count("input_tokens");
        var cacheRead = r.Count("cache_read_input_tokens");
        var creation = r.Count("cache_creation_input_tokens");
        long write1h = 0;
        if (r.Has("cache_creation"))
        {
            var split5m = r.Count("cache_creation", "ephemeral_5m_input_tokens");
            write1h = r.Count("cache_creation", "ephemeral_1h_input_tokens");
            if (r.Error is null && r.Has("cache_creation_input_tokens") && split5m + write1h != creation)
            {
                r.Fail($"{r.Path}.cache_creation", $"cache_creation.ephemeral_5m_input_tokens + ephemeral_1h_input_tokens ({split5m + write1h}) differ from cache_creation_input_tokens ({creation}); send the usage exactly as Anthropic returned it");
            }

            creation = split5m + write1h;
        }

        r.Known("service_tier");
        r.Known("inference_geo");
        r.Known("server_tool_use", "web_fetch_requests");
        var usage = new TokenUsage(input + cacheRead + creation, r.Count("output_tokens"), cacheRead, creation, write1h)
        {
            OutputReasoningTokens = r.Count("output_tokens_details", "thinking_tokens"),
            WebSearches = r.Count("server_tool_use", "web_search_requests"),
        };
        r.Done();
        return usage;
    }

    /// <summary>Google AI Studio and Vertex: tool-use prompt tokens are input beside the prompt; thoughts are output and reasoning beside the candidates.</summary>
    private static TokenUsage ReadGoogle(ref FieldReader r)
    {
        r.Known("totalTokenCount");
        r.Known("trafficType");
        var thoughts = r.Count("thoughtsTokenCount");
        var prompt = r.Modalities("promptTokensDetails");
        var tool = r.Modalities("toolUsePromptTokensDetails");
        var cached = r.Modalities("cacheTokensDetails");
        var candidates = r.Modalities("candidatesTokensDetails");

        // Cached video has no price of its own: it is charged as a cache read, not as video.
        var usage = new TokenUsage(r.Count("promptTokenCount") + r.Count("toolUsePromptTokenCount"), r.Count("candidatesTokenCount") + thoughts, r.Count("cachedContentTokenCount"))
        {
            InputAudioTokens = prompt.Audio + tool.Audio,
            InputImageTokens = prompt.Image + tool.Image,
            InputVideoTokens = Math.Max(0, prompt.Video + tool.Video - cached.Video),
            CacheAudioReadTokens = cached.Audio,
            CacheImageReadTokens = cached.Image,
            OutputAudioTokens = candidates.Audio,
            OutputImageTokens = candidates.Image,
            OutputVideoTokens = candidates.Video,
            OutputReasoningTokens = thoughts,
        };
        r.Done();
        return usage;
    }

    /// <summary>Amazon Bedrock Converse: cache reads and writes are beside inputTokens.</summary>
    private static TokenUsage ReadBedrock(ref FieldReader r)
    {
        r.Known("totalTokens");
        var cacheRead = r.Count("cacheReadInputTokens");
        var cacheWrite = r.Count("cacheWriteInputTokens");
        var usage = new TokenUsage(r.Count("inputTokens") + cacheRead + cacheWrite, r.Count("outputTokens"), cacheRead, cacheWrite);
        r.Done();
        return usage;
    }

    /// <summary>Cohere v2: billed_units are what is charged; tokens are informational.</summary>
    private static TokenUsage ReadCohere(ref FieldReader r)
    {
        r.Known("tokens", "input_tokens", "output_tokens");
        var usage = new TokenUsage(r.Count("billed_units", "input_tokens"), r.Count("billed_units", "output_tokens"));
        r.Done();
        return usage;
    }

    /// <summary>Token counts of one Google modality list (<c>[{"modality": "AUDIO", "tokenCount": 600}]</c>); DOCUMENT counts as image, TEXT is the rest.</summary>
    private readonly record struct ModalityCounts(long Audio, long Image, long Video);

    /// <summary>
    /// Reads whole, non-negative, plausible counts; remembers the first error; and tracks which fields were
    /// read, so the numbers nobody read are reported as unpriced.
    /// </summary>
    /// <summary>What a nested reader reads when the object is absent: nothing, rather than an undefined element that throws.</summary>
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    private ref struct FieldReader
    {
        private readonly JsonElement _usage;
        private List<string>? _read;
        private List<UnpricedField>? _unpriced;

        public FieldReader(JsonElement usage, string path)
        {
            _usage = usage;
            Path = path;
        }

        public string Path { get; }

        public string? Error { get; private set; }

        public string? ErrorField { get; private set; }

        public readonly IReadOnlyList<UnpricedField> Unpriced => (IReadOnlyList<UnpricedField>?)_unpriced ?? [];

        /// <summary>Every field read or known so far, in order.</summary>
        public readonly IReadOnlyList<string> ReadFields => (IReadOnlyList<string>?)_read ?? [];

        public readonly bool Has(string name) => _usage.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

        public long Count(string name)
        {
            Mark(name);
            return _usage.TryGetProperty(name, out var value) ? Parse(value, name) : 0;
        }

        public long Count(string parent, string name)
        {
            Mark(parent + "." + name);
            return Details(parent) is { } details && details.TryGetProperty(name, out var value) ? Parse(value, parent + "." + name) : 0;
        }

        /// <summary>A field read by name that is not a count (or a count that is part of one already read).</summary>
        public void Known(string name) => Mark(name);

        public void Known(string parent, params string[] names)
        {
            foreach (var name in names)
            {
                Mark(parent + "." + name);
            }
        }

        /// <summary>A reader of an object two levels down (parent.name), reported as part of this usage.</summary>
        public FieldReader Nested(string parent, string name)
        {
            Mark(parent + "." + name);
            var nested = Details(parent) is { } details && details.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
                ? value
                : EmptyObject;
            return new FieldReader(nested, $"{Path}.{parent}.{name}");
        }

        /// <summary>Takes over the error and unpriced fields of a <see cref="Nested"/> reader.</summary>
        public void Adopt(ref FieldReader nested)
        {
            if (nested.Error is not null)
            {
                Fail(nested.ErrorField!, nested.Error);
            }

            nested.Done();
            foreach (var field in nested.Unpriced)
            {
                (_unpriced ??= []).Add(field);
            }
        }

        public readonly string? Text(string name) =>
            _usage.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && JsonText.TryGetString(value, out var text) ? text : null;

        public decimal? Money(string name)
        {
            if (!_usage.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var amount) && amount >= 0)
            {
                return amount;
            }

            Fail($"{Path}.{name}", $"{Path}.{name} must be an amount of US dollars (0 or more), not {Describe(value)}");
            return null;
        }

        /// <summary>A Google modality list: audio, image (and document) and video token counts.</summary>
        public ModalityCounts Modalities(string name)
        {
            Mark(name);
            if (!_usage.TryGetProperty(name, out var list) || list.ValueKind == JsonValueKind.Null)
            {
                return default;
            }

            if (list.ValueKind != JsonValueKind.Array)
            {
                Fail($"{Path}.{name}", $"{Path}.{name} must be a list such as [{{\"modality\": \"AUDIO\", \"tokenCount\": 600}}]");
                return default;
            }

            long audio = 0, image = 0, video = 0;
            var index = 0;
            foreach (var item in list.EnumerateArray())
            {
                var field = $"{name}[{index++}]";
                if (item.ValueKind != JsonValueKind.Object)
                {
                    Fail($"{Path}.{field}", $"{Path}.{field} must be an object such as {{\"modality\": \"AUDIO\", \"tokenCount\": 600}}");
                    continue;
                }

                var count = item.TryGetProperty("tokenCount", out var value) ? Parse(value, field + ".tokenCount") : 0;
                var modality = item.TryGetProperty("modality", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                switch (modality)
                {
                    case "AUDIO": audio += count; break;
                    case "IMAGE" or "DOCUMENT": image += count; break;
                    case "VIDEO": video += count; break;
                }
            }

            return new ModalityCounts(audio, image, video);
        }

        /// <summary>Reports every number of the usage (top level and one object down) that no field read.</summary>
        public void Done()
        {
            if (_usage.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            foreach (var property in _usage.EnumerateObject())
            {
                if (NothingToReport(property))
                {
                    continue;
                }

                var name = JsonText.NameOf(property);
                if (name == JsonText.InvalidName)
                {
                    Fail($"{Path}.{name}", $"a field name in {Path} is not valid Unicode (bytes that are not UTF-8, or an unpaired \\u surrogate escape); send valid UTF-8 JSON");
                }
                else if (property.Value.ValueKind == JsonValueKind.Number && !WasRead(name))
                {
                    Unread(name, property.Value);
                }
                else if (property.Value.ValueKind == JsonValueKind.Object && !WasRead(name))
                {
                    foreach (var inner in property.Value.EnumerateObject())
                    {
                        var innerName = name + "." + JsonText.NameOf(inner);
                        if (inner.Value.ValueKind == JsonValueKind.Number && !WasRead(innerName))
                        {
                            Unread(innerName, inner.Value);
                        }
                    }
                }
            }
        }

        public void Fail(string field, string error)
        {
            if (Error is null)
            {
                Error = error;
                ErrorField = field;
            }
        }

        private readonly bool WasRead(string name) => _read is not null && _read.Contains(name);

        /// <summary>
        /// True when the field has a plain name (ASCII, no escapes) and nothing in it would be reported: the usual case,
        /// told without making a string of any name. False sends the field the exact (allocating) way.
        /// </summary>
        private readonly bool NothingToReport(JsonProperty property)
        {
            var name = JsonMarshal.GetRawUtf8PropertyName(property);
            if (!IsPlain(name))
            {
                return false;
            }

            switch (property.Value.ValueKind)
            {
                case JsonValueKind.Number:
                    return WasRead(name, default);
                case JsonValueKind.Object:
                    if (WasRead(name, default))
                    {
                        return true;
                    }

                    foreach (var inner in property.Value.EnumerateObject())
                    {
                        var innerName = JsonMarshal.GetRawUtf8PropertyName(inner);
                        if (inner.Value.ValueKind == JsonValueKind.Number && (innerName.IsEmpty || !IsPlain(innerName) || !WasRead(name, innerName)))
                        {
                            return false;
                        }
                    }

                    return true;
                default:
                    return true;
            }
        }

        private static bool IsPlain(ReadOnlySpan<byte> name) => !name.Contains((byte)'\\') && Ascii.IsValid(name);

        /// <summary>Whether <paramref name="name"/> (or <c>name.inner</c>, when <paramref name="inner"/> is not empty) was read, compared as bytes.</summary>
        private readonly bool WasRead(ReadOnlySpan<byte> name, ReadOnlySpan<byte> inner)
        {
            if (_read is null)
            {
                return false;
            }

            var length = inner.IsEmpty ? name.Length : name.Length + 1 + inner.Length;
            foreach (var read in _read)
            {
                if (read.Length == length && Ascii.Equals(name, read.AsSpan(0, name.Length))
                    && (inner.IsEmpty || (read[name.Length] == '.' && Ascii.Equals(inner, read.AsSpan(name.Length + 1)))))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>A zero charges nothing whatever it counts: only other numbers are reported.</summary>
        private void Unread(string name, JsonElement value)
        {
            var count = value.TryGetInt64(out var whole) ? whole : 0;
            if (count != 0 || value.GetRawText() is not ("0" or "0.0"))
            {
                (_unpriced ??= []).Add(new UnpricedField($"{Path}.{name}", count));
            }
        }

        private void Mark(string name) => (_read ??= new List<string>(24)).Add(name);

        private JsonElement? Details(string parent)
        {
            if (!_usage.TryGetProperty(parent, out var details) || details.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (details.ValueKind != JsonValueKind.Object)
            {
                Fail($"{Path}.{parent}", $"{Path}.{parent} must be an object");
                return null;
            }

            return details;
        }

        /// <summary>The field's path is only spelled out for an error: a valid count allocates nothing.</summary>
        private long Parse(JsonElement value, string name)
        {
            if (value.ValueKind == JsonValueKind.Null)
            {
                return 0;
            }

            long count = 0;
            var isCount = value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out count);
            if (isCount && count is >= 0 and <= TokenUsage.MaxTokens)
            {
                return count;
            }

            var field = $"{Path}.{name}";
            Fail(field, !isCount ? $"{field} must be a whole number of tokens (0 or more), not {Describe(value)}"
                : count < 0 ? $"{field} is {count}; token counts cannot be negative"
                : $"{field} is {count}, more than {TokenUsage.MaxTokens} tokens; that is not a real request");
            return 0;
        }

        private static string Describe(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.String => JsonText.TryGetString(value, out var text) ? $"the string \"{text}\"" : "a string that is not valid Unicode",
            _ => value.ValueKind.ToString().ToLowerInvariant(),
        };
    }
}
