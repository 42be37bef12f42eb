using System.Collections.Frozen;
using System.Text.Json;

namespace Catalog.Pricing;

/// <summary>The usage shapes providers return, detected by field names.</summary>
public enum UsageShape
{
    None,
    Canonical,
    OpenAI,
    Anthropic,
    Google,
}

/// <summary>The outcome of reading a usage object: canonical token counts, or the field at fault and how to fix it.</summary>
public readonly record struct UsageReadResult(bool Ok, TokenUsage Usage, UsageShape Shape, string? Field, string? Error)
{
    public static UsageReadResult Success(TokenUsage usage, UsageShape shape) => new(true, usage, shape, null, null);

    public static UsageReadResult Failure(string field, string error) => new(false, default, UsageShape.None, field, error);
}

/// <summary>
/// Reads usage in the shape the provider returned it and converts it to canonical counts, so that
/// cached tokens are counted once:
/// canonical (input_tokens includes cache), OpenAI (prompt_tokens includes cached_tokens),
/// Anthropic (input_tokens excludes cache), Google (promptTokenCount includes cachedContentTokenCount).
/// </summary>
public static class UsageReader
{
    private static readonly string[] CanonicalFields = ["input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens", "cache_write_1h_tokens", "total_tokens", "input_tokens_details", "output_tokens_details"];
    private static readonly string[] OpenAIFields = ["prompt_tokens", "completion_tokens", "total_tokens", "prompt_tokens_details", "completion_tokens_details"];
    private static readonly string[] AnthropicFields = ["input_tokens", "output_tokens", "cache_creation_input_tokens", "cache_read_input_tokens", "cache_creation", "service_tier", "server_tool_use"];
    private static readonly string[] GoogleFields = ["promptTokenCount", "candidatesTokenCount", "thoughtsTokenCount", "cachedContentTokenCount", "totalTokenCount", "toolUsePromptTokenCount", "promptTokensDetails", "candidatesTokensDetails", "cacheTokensDetails", "toolUsePromptTokensDetails", "trafficType"];

    /// <summary>What each known field says about the shape: the one shape it belongs to, or none when shapes share it.</summary>
    private static readonly FrozenDictionary<string, FieldShape> Known = KnownFields();

    [Flags]
    private enum FieldShape
    {
        None = 0,
        Canonical = 1,
        OpenAI = 2,
        Anthropic = 4,
        Google = 8,

        /// <summary>input_tokens or output_tokens: canonical or Anthropic, never beside OpenAI's or Google's fields.</summary>
        CanonicalOrAnthropic = 16,
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

        var found = FieldShape.None;
        foreach (var property in usage.EnumerateObject())
        {
            var name = JsonText.NameOf(property);
            if (!Known.TryGetValue(name, out var shape))
            {
                return UsageReadResult.Failure($"{path}.{name}", $"unknown usage field '{name}'. Send usage as the provider returned it: canonical ({string.Join(", ", CanonicalFields)}), OpenAI ({string.Join(", ", OpenAIFields)}), Anthropic ({string.Join(", ", AnthropicFields)}) or Google ({string.Join(", ", GoogleFields)})");
            }

            found |= shape;
        }

        var openAI = (found & FieldShape.OpenAI) != 0;
        var anthropic = (found & FieldShape.Anthropic) != 0;
        var google = (found & FieldShape.Google) != 0;
        var shapes = int.PopCount((int)(found & (FieldShape.Canonical | FieldShape.OpenAI | FieldShape.Anthropic | FieldShape.Google)));
        if (shapes > 1 || ((openAI || google) && (found & FieldShape.CanonicalOrAnthropic) != 0))
        {
            return UsageReadResult.Failure(path, "usage mixes fields of different provider shapes; send one shape: canonical (input_tokens includes cache), OpenAI (prompt_tokens), Anthropic (input_tokens excludes cache, cache_creation_input_tokens) or Google (promptTokenCount)");
        }

        var reader = new FieldReader(usage, path);
        var result = openAI ? ReadOpenAI(ref reader)
            : anthropic ? ReadAnthropic(ref reader)
            : google ? ReadGoogle(ref reader)
            : ReadCanonical(ref reader);
        return reader.Error is not null ? UsageReadResult.Failure(reader.ErrorField!, reader.Error) : result;
    }

    private static FrozenDictionary<string, FieldShape> KnownFields()
    {
        var fields = new Dictionary<string, FieldShape>(StringComparer.Ordinal);
        foreach (var (names, shape) in new[] { (CanonicalFields, FieldShape.Canonical), (OpenAIFields, FieldShape.OpenAI), (AnthropicFields, FieldShape.Anthropic), (GoogleFields, FieldShape.Google) })
        {
            foreach (var name in names)
            {
                fields[name] = fields.ContainsKey(name) ? FieldShape.None : shape;
            }
        }

        fields["input_tokens"] = FieldShape.CanonicalOrAnthropic;
        fields["output_tokens"] = FieldShape.CanonicalOrAnthropic;
        return fields.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static UsageReadResult ReadCanonical(ref FieldReader r)
    {
        var input = r.Count("input_tokens");
        var output = r.Count("output_tokens");
        var cacheRead = r.Count("cache_read_tokens") + r.NestedCount("input_tokens_details", "cached_tokens");
        var cacheWrite = r.Count("cache_write_tokens");
        var cacheWrite1h = r.Count("cache_write_1h_tokens");
        r.NestedCount("output_tokens_details", "reasoning_tokens");
        if (r.Error is null && cacheRead + cacheWrite > input)
        {
            return UsageReadResult.Failure($"{r.Path}.input_tokens", $"cache tokens ({cacheRead + cacheWrite}) exceed input_tokens ({input}); in the canonical shape input_tokens counts every prompt token, cached ones included (Anthropic's usage, which excludes them, is read when you send its cache_creation_input_tokens/cache_read_input_tokens fields)");
        }

        if (r.Error is null && cacheWrite1h > cacheWrite)
        {
            return UsageReadResult.Failure($"{r.Path}.cache_write_1h_tokens", $"cache_write_1h_tokens ({cacheWrite1h}) exceed cache_write_tokens ({cacheWrite}); cache_write_tokens counts every cache write, the 1-hour ones included");
        }

        return UsageReadResult.Success(new TokenUsage(input, output, cacheRead, cacheWrite, cacheWrite1h), UsageShape.Canonical);
    }

    private static UsageReadResult ReadOpenAI(ref FieldReader r)
    {
        var prompt = r.Count("prompt_tokens");
        var completion = r.Count("completion_tokens");
        var cached = r.NestedCount("prompt_tokens_details", "cached_tokens");
        r.NestedCount("completion_tokens_details", "reasoning_tokens");
        if (r.Error is null && cached > prompt)
        {
            return UsageReadResult.Failure($"{r.Path}.prompt_tokens_details.cached_tokens", $"cached_tokens ({cached}) exceed prompt_tokens ({prompt}); OpenAI's prompt_tokens include the cached ones");
        }

        return UsageReadResult.Success(new TokenUsage(prompt, completion, cached), UsageShape.OpenAI);
    }

    private static UsageReadResult ReadAnthropic(ref FieldReader r)
    {
        var input = r.Count("input_tokens");
        var output = r.Count("output_tokens");
        var cacheRead = r.Count("cache_read_input_tokens");
        var creation = r.Count("cache_creation_input_tokens");
        long write5m = creation, write1h = 0;
        if (r.Has("cache_creation"))
        {
            var split5m = r.NestedCount("cache_creation", "ephemeral_5m_input_tokens");
            write1h = r.NestedCount("cache_creation", "ephemeral_1h_input_tokens");
            if (r.Error is null && r.Has("cache_creation_input_tokens") && split5m + write1h != creation)
            {
                return UsageReadResult.Failure($"{r.Path}.cache_creation", $"cache_creation.ephemeral_5m_input_tokens + ephemeral_1h_input_tokens ({split5m + write1h}) differ from cache_creation_input_tokens ({creation}); send the usage exactly as Anthropic returned it");
            }

            write5m = split5m;
        }

        return UsageReadResult.Success(new TokenUsage(input + cacheRead + write5m + write1h, output, cacheRead, write5m + write1h, write1h), UsageShape.Anthropic);
    }

    private static UsageReadResult ReadGoogle(ref FieldReader r)
    {
        var prompt = r.Count("promptTokenCount") + r.Count("toolUsePromptTokenCount");
        var output = r.Count("candidatesTokenCount") + r.Count("thoughtsTokenCount");
        var cached = r.Count("cachedContentTokenCount");
        if (r.Error is null && cached > prompt)
        {
            return UsageReadResult.Failure($"{r.Path}.cachedContentTokenCount", $"cachedContentTokenCount ({cached}) exceeds promptTokenCount ({prompt}); Google's promptTokenCount includes the cached tokens");
        }

        return UsageReadResult.Success(new TokenUsage(prompt, output, cached), UsageShape.Google);
    }

    /// <summary>Reads whole, non-negative, plausible token counts; remembers the first error.</summary>
    private ref struct FieldReader(JsonElement usage, string path)
    {
        private readonly JsonElement _usage = usage;

        public string Path { get; } = path;

        public string? Error { get; private set; }

        public string? ErrorField { get; private set; }

        public readonly bool Has(string name) => _usage.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

        public long Count(string name) =>
            _usage.TryGetProperty(name, out var value) ? Parse(value, null, name) : 0;

        public long NestedCount(string parent, string name)
        {
            if (!_usage.TryGetProperty(parent, out var details) || details.ValueKind == JsonValueKind.Null)
            {
                return 0;
            }

            if (details.ValueKind != JsonValueKind.Object)
            {
                Fail($"{Path}.{parent}", $"{parent} must be an object");
                return 0;
            }

            return details.TryGetProperty(name, out var value) ? Parse(value, parent, name) : 0;
        }

        /// <summary>The field's path is only spelled out for an error: a valid count allocates nothing.</summary>
        private long Parse(JsonElement value, string? parent, string name)
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

            var field = parent is null ? $"{Path}.{name}" : $"{Path}.{parent}.{name}";
            Fail(field, !isCount ? $"{field} must be a whole number of tokens (0 or more), not {Describe(value)}"
                : count < 0 ? $"{field} is {count}; token counts cannot be negative"
                : $"{field} is {count}, more than {TokenUsage.MaxTokens} tokens; that is not a real request");
            return 0;
        }

        private void Fail(string field, string error)
        {
            if (Error is null)
            {
                Error = error;
                ErrorField = field;
            }
        }

        private static string Describe(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.String => JsonText.TryGetString(value, out var text) ? $"the string \"{text}\"" : "a string that is not valid Unicode",
            _ => value.ValueKind.ToString().ToLowerInvariant(),
        };
    }
}
