using System.Text;
using System.Text.Json;

namespace Catalog.Pricing;

/// <summary>What <see cref="UsageFastReader"/> read: the counts and shape, and the service tier and region the usage reports.</summary>
public readonly record struct FastUsage(TokenUsage Usage, UsageShape Shape, string? ServiceTier, string? Region);

/// <summary>
/// The usage objects most calls send (canonical, OpenAI Chat Completions, Anthropic Messages), read straight from a
/// <see cref="Utf8JsonReader"/> without a document, a string per field name or a list of fields read. It answers only
/// when the usage is plain: every field known to that shape, each once, every count a whole number of tokens in range,
/// no escapes, text in printable ASCII, nothing unpriced, no error. For anything else it returns false and the caller
/// reads the usage with <see cref="UsageReader"/>, which has the answer (and the error message) for every input; the
/// tests hold the two to the same result on generated usages of every shape.
/// </summary>
public static class UsageFastReader
{
    private enum Field
    {
        // Canonical (input_tokens and output_tokens are Anthropic's too).
        InputTokens, OutputTokens, TotalTokens, CacheReadTokens, CacheWriteTokens, CacheWrite1hTokens, InputAudioTokens, CacheAudioReadTokens,
        InputImageTokens, CacheImageReadTokens, InputVideoTokens, OutputAudioTokens, OutputImageTokens, OutputVideoTokens, OutputReasoningTokens, WebSearches,

        // Anthropic's markers.
        CacheCreationInputTokens, CacheReadInputTokens, ServiceTier, InferenceGeo, CacheCreation, ServerToolUse,

        // OpenAI Chat Completions.
        PromptTokens, CompletionTokens, PromptTokensDetails, CompletionTokensDetails,

        // One object down.
        PromptCached, PromptAudio, PromptText, PromptImage, PromptCacheWrite,
        CompletionReasoning, CompletionAudio, CompletionAccepted, CompletionRejected, CompletionText, CompletionImage,
        Ephemeral5m, Ephemeral1h, WebSearchRequests, WebFetchRequests,
        Count,
    }

    private const ulong CanonicalFields = (1UL << ((int)Field.WebSearches + 1)) - 1;
    private static readonly ulong CanonicalMarkers = CanonicalFields & ~(Bit(Field.InputTokens) | Bit(Field.OutputTokens) | Bit(Field.TotalTokens));
    private static readonly ulong AnthropicMarkers = Bit(Field.CacheCreationInputTokens) | Bit(Field.CacheReadInputTokens) | Bit(Field.ServiceTier) | Bit(Field.InferenceGeo) | Bit(Field.CacheCreation) | Bit(Field.ServerToolUse);
    private static readonly ulong AnthropicFields = AnthropicMarkers | Bit(Field.InputTokens) | Bit(Field.OutputTokens);
    private static readonly ulong ChatFields = Bit(Field.PromptTokens) | Bit(Field.CompletionTokens) | Bit(Field.PromptTokensDetails) | Bit(Field.CompletionTokensDetails);
    private const ulong TopFields = (1UL << ((int)Field.CompletionTokensDetails + 1)) - 1;
    private const int LongestName = 32;

    private static ulong Bit(Field field) => 1UL << (int)field;

    /// <summary>
    /// Reads the usage object the reader is at (its <see cref="JsonTokenType.StartObject"/>) to its end. False when the
    /// usage is not one this reader answers for: the reader is then somewhere inside it, and the caller reads it again the general way.
    /// </summary>
    public static bool TryRead(ref Utf8JsonReader reader, out FastUsage usage)
    {
        usage = default;
        Span<long> v = stackalloc long[(int)Field.Count];
        var seen = 0UL;
        string? tier = null, geo = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = Top(ref reader);
            if (field < 0 || (seen & Bit(field)) != 0 || !reader.Read())
            {
                return false;
            }

            seen |= Bit(field);
            switch (field)
            {
                case Field.ServiceTier or Field.InferenceGeo:
                    if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || !Utf8Names.IsPrintableAscii(reader.ValueSpan))
                    {
                        return false;
                    }

                    (field == Field.ServiceTier ? ref tier : ref geo) = Utf8Names.Get(reader.ValueSpan);
                    break;
                case Field.CacheCreation or Field.ServerToolUse or Field.PromptTokensDetails or Field.CompletionTokensDetails:
                    if (reader.TokenType != JsonTokenType.StartObject || !TryReadInner(ref reader, field, v, ref seen))
                    {
                        return false;
                    }

                    break;
                default:
                    if (!TryCount(ref reader, out v[(int)field]))
                    {
                        return false;
                    }

                    break;
            }
        }

        var top = seen & TopFields;
        TokenUsage counts;
        UsageShape shape;
        if ((top & ChatFields) != 0)
        {
            // UsageReader.ReadChat for plain OpenAI (no field of xAI, Perplexity, OpenRouter or DeepSeek).
            if ((top & ~(ChatFields | Bit(Field.TotalTokens))) != 0)
            {
                return false;
            }

            var reasoning = v[(int)Field.CompletionReasoning];
            shape = UsageShape.OpenAI;
            counts = new TokenUsage(v[(int)Field.PromptTokens], v[(int)Field.CompletionTokens], v[(int)Field.PromptCached], v[(int)Field.PromptCacheWrite])
            {
                InputAudioTokens = v[(int)Field.PromptAudio],
                InputImageTokens = v[(int)Field.PromptImage],
                OutputAudioTokens = v[(int)Field.CompletionAudio],
                OutputImageTokens = v[(int)Field.CompletionImage],
                OutputReasoningTokens = reasoning,
                DetailReasoningTokens = reasoning,
            };
        }
        else if ((top & AnthropicMarkers) != 0)
        {
            // UsageReader.ReadAnthropic, without output_tokens_details (and so without thinking tokens).
            if ((top & ~AnthropicFields) != 0)
            {
                return false;
            }

            var cacheRead = v[(int)Field.CacheReadInputTokens];
            var creation = v[(int)Field.CacheCreationInputTokens];
            long write1h = 0;
            if ((top & Bit(Field.CacheCreation)) != 0)
            {
                var split = v[(int)Field.Ephemeral5m] + v[(int)Field.Ephemeral1h];
                if ((top & Bit(Field.CacheCreationInputTokens)) != 0 && split != creation)
                {
                    return false;
                }

                write1h = v[(int)Field.Ephemeral1h];
                creation = split;
            }

            shape = UsageShape.Anthropic;
            counts = new TokenUsage(v[(int)Field.InputTokens] + cacheRead + creation, v[(int)Field.OutputTokens], cacheRead, creation, write1h)
            {
                WebSearches = v[(int)Field.WebSearchRequests],
            };
        }
        else
        {
            // UsageReader.ReadCanonical, without input_tokens_details and output_tokens_details.
            shape = UsageShape.Canonical;
            counts = new TokenUsage(v[(int)Field.InputTokens], v[(int)Field.OutputTokens], v[(int)Field.CacheReadTokens], v[(int)Field.CacheWriteTokens], v[(int)Field.CacheWrite1hTokens])
            {
                InputAudioTokens = v[(int)Field.InputAudioTokens],
                CacheAudioReadTokens = v[(int)Field.CacheAudioReadTokens],
                InputImageTokens = v[(int)Field.InputImageTokens],
                CacheImageReadTokens = v[(int)Field.CacheImageReadTokens],
                InputVideoTokens = v[(int)Field.InputVideoTokens],
                OutputAudioTokens = v[(int)Field.OutputAudioTokens],
                OutputImageTokens = v[(int)Field.OutputImageTokens],
                OutputVideoTokens = v[(int)Field.OutputVideoTokens],
                OutputReasoningTokens = v[(int)Field.OutputReasoningTokens],
                WebSearches = v[(int)Field.WebSearches],
            };
        }

        // A count inside another that exceeds it is an error: UsageReader words it.
        if ((counts with { OutputTokens = counts.OutputTokens + counts.DetailReasoningTokens }).Overflow() is not null)
        {
            return false;
        }

        usage = new FastUsage(counts, shape, tier, geo);
        return true;
    }

    /// <summary>The fields of an object one level down, each once, each a count.</summary>
    private static bool TryReadInner(ref Utf8JsonReader reader, Field parent, scoped Span<long> v, ref ulong seen)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = Inner(ref reader, parent);
            if (field < 0 || (seen & Bit(field)) != 0 || !reader.Read() || !TryCount(ref reader, out v[(int)field]))
            {
                return false;
            }

            seen |= Bit(field);
        }

        return reader.TokenType == JsonTokenType.EndObject;
    }

    private static bool TryCount(ref Utf8JsonReader reader, out long count)
    {
        count = 0;
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out count) && count is >= 0 and <= TokenUsage.MaxTokens;
    }

    private static Field Top(ref Utf8JsonReader reader)
    {
        Span<char> name = stackalloc char[LongestName];
        if (!Name(ref reader, name, out var length))
        {
            return (Field)(-1);
        }

        return name[..length] switch
        {
            "input_tokens" => Field.InputTokens,
            "output_tokens" => Field.OutputTokens,
            "total_tokens" => Field.TotalTokens,
            "cache_read_tokens" => Field.CacheReadTokens,
            "cache_write_tokens" => Field.CacheWriteTokens,
            "cache_write_1h_tokens" => Field.CacheWrite1hTokens,
            "input_audio_tokens" => Field.InputAudioTokens,
            "cache_audio_read_tokens" => Field.CacheAudioReadTokens,
            "input_image_tokens" => Field.InputImageTokens,
            "cache_image_read_tokens" => Field.CacheImageReadTokens,
            "input_video_tokens" => Field.InputVideoTokens,
            "output_audio_tokens" => Field.OutputAudioTokens,
            "output_image_tokens" => Field.OutputImageTokens,
            "output_video_tokens" => Field.OutputVideoTokens,
            "output_reasoning_tokens" => Field.OutputReasoningTokens,
            "web_searches" => Field.WebSearches,
            "cache_creation_input_tokens" => Field.CacheCreationInputTokens,
            "cache_read_input_tokens" => Field.CacheReadInputTokens,
            "service_tier" => Field.ServiceTier,
            "inference_geo" => Field.InferenceGeo,
            "cache_creation" => Field.CacheCreation,
            "server_tool_use" => Field.ServerToolUse,
            "prompt_tokens" => Field.PromptTokens,
            "completion_tokens" => Field.CompletionTokens,
            "prompt_tokens_details" => Field.PromptTokensDetails,
            "completion_tokens_details" => Field.CompletionTokensDetails,
            _ => (Field)(-1),
        };
    }

    private static Field Inner(ref Utf8JsonReader reader, Field parent)
    {
        Span<char> name = stackalloc char[LongestName];
        if (!Name(ref reader, name, out var length))
        {
            return (Field)(-1);
        }

        ReadOnlySpan<char> text = name[..length];
        return parent switch
        {
            Field.PromptTokensDetails => text switch
            {
                "cached_tokens" => Field.PromptCached,
                "audio_tokens" => Field.PromptAudio,
                "text_tokens" => Field.PromptText,
                "image_tokens" => Field.PromptImage,
                "cache_write_tokens" => Field.PromptCacheWrite,
                _ => (Field)(-1),
            },
            Field.CompletionTokensDetails => text switch
            {
                "reasoning_tokens" => Field.CompletionReasoning,
                "audio_tokens" => Field.CompletionAudio,
                "accepted_prediction_tokens" => Field.CompletionAccepted,
                "rejected_prediction_tokens" => Field.CompletionRejected,
                "text_tokens" => Field.CompletionText,
                "image_tokens" => Field.CompletionImage,
                _ => (Field)(-1),
            },
            Field.CacheCreation => text switch
            {
                "ephemeral_5m_input_tokens" => Field.Ephemeral5m,
                "ephemeral_1h_input_tokens" => Field.Ephemeral1h,
                _ => (Field)(-1),
            },
            _ => text switch
            {
                "web_search_requests" => Field.WebSearchRequests,
                "web_fetch_requests" => Field.WebFetchRequests,
                _ => (Field)(-1),
            },
        };
    }

    /// <summary>The property name as ASCII characters; false for an escaped, non-ASCII or long name (none of the known ones).</summary>
    private static bool Name(ref Utf8JsonReader reader, scoped Span<char> name, out int length)
    {
        length = 0;
        var raw = reader.ValueSpan;
        return !reader.ValueIsEscaped && raw.Length <= name.Length && Ascii.ToUtf16(raw, name, out length) == System.Buffers.OperationStatus.Done;
    }
}
