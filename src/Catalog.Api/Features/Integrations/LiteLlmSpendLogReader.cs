using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Catalog.Api.Features.Usage;
using Catalog.Api.Http;
using Catalog.Ledger;
using Catalog.Pricing;
using static Catalog.Api.Http.PricingRequestReader;

namespace Catalog.Api.Features.Integrations;

/// <summary>
/// Maps one entry of LiteLLM's standard logging payload (what its generic API logger sends) to the
/// ledger's own call, and reads that with <see cref="UsageCallReader"/>: the same validation, pricing,
/// store and idempotency as POST /v1/usage. Errors are named by the LiteLLM field at fault.
/// </summary>
public sealed class LiteLlmSpendLogReader(UsageCallReader ledger, PricingEngine engine)
{
    /// <summary>2000-01-01 and 9999-12-31 in Unix seconds: the times a ledger record may carry.</summary>
    private const decimal MinEpochSeconds = 946_684_800m;
    private const decimal MaxEpochSeconds = 253_402_300_799m;

    /// <summary>
    /// True when LiteLLM answered from its own cache: no provider was called and LiteLLM reports no cost
    /// (its id is the cached response's id plus "_cache_hit" and a time), so the call is not recorded.
    /// </summary>
    public static bool IsCacheHit(JsonElement entry) =>
        entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("cache_hit", out var hit) && hit.ValueKind == JsonValueKind.True;

    /// <param name="keyId">The id of the API key the entry was sent with, recorded with the call.</param>
    public UsageRecord? Read(JsonElement entry, Dictionary<string, string[]> errors, string path = "", string? keyId = null)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            Add(errors, path.Length == 0 ? "body" : path.TrimEnd('.'), "must be a JSON object: one LiteLLM standard logging payload (StandardLoggingPayload), or a list of them");
            return null;
        }

        var call = new LedgerCall(path, errors);
        var metadata = Metadata(entry, path, errors);
        string? Field(string name) => Text(entry, name, path, errors, required: false);
        string? Meta(string name) => metadata.ValueKind == JsonValueKind.Object ? Text(metadata, name, path + "metadata.", errors, required: false) : null;
        var group = Field("model_group");
        var deployment = Field("model");
        var provider = Field("custom_llm_provider");
        var teamAlias = Meta("user_api_key_team_alias");
        var teamId = Meta("user_api_key_team_id");
        var endUser = Meta("user_api_key_end_user_id");

        call.Copy("id", entry, "id");
        call.Write("provider", provider, "custom_llm_provider");
        var (model, modelSource) = PricedModel(group, deployment, provider);
        call.Write("model", model, modelSource);
        WriteTimes(call, entry, path, errors);
        WriteStatus(call, entry, path, errors);
        WriteUsage(call, entry, metadata, path, errors);
        WriteServiceTier(call, entry, path, errors);
        WriteRegion(call, entry, path, errors);
        call.Write("user", Meta("user_api_key_user_id"), "metadata.user_api_key_user_id");
        call.Write("team", teamAlias ?? teamId, teamAlias is null ? "metadata.user_api_key_team_id" : "metadata.user_api_key_team_alias");
        call.Write("app", Meta("user_api_key_alias"), "metadata.user_api_key_alias");
        call.Tag("litellm_call_type", Field("call_type"), "call_type");
        call.Tag("litellm_model_group", group, "model_group");
        call.Tag("litellm_model", deployment, "model");
        call.Tag("litellm_team_id", teamId, "metadata.user_api_key_team_id");
        call.Tag("litellm_end_user", endUser ?? Field("end_user"), endUser is null ? "end_user" : "metadata.user_api_key_end_user_id");
        if (!HasObject(entry, "response_cost_failure_debug_info"))
        {
            // LiteLLM sends 0 with debug information when it could not price the call: that is no reported cost.
            call.Copy("reported_cost_usd", entry, "response_cost");
        }

        var record = call.Read(ledger);
        return record is null || errors.Count > 0 ? null : record with { Fingerprint = UsageCallReader.Fingerprint(entry), SentOrderFingerprint = () => UsageCallReader.SentOrderFingerprint(entry), KeyId = keyId };
    }

    /// <summary>
    /// The name priced, and its field: the name the user sent (model_group, the proxy's public name) when
    /// the catalogue knows it without guessing: exact, alias (with its negotiated prices) or match.
    /// Otherwise the deployment's model when the catalogue knows that better; otherwise model_group, which
    /// the summary's fallback list then names.
    /// </summary>
    private (string? Model, string Source) PricedModel(string? group, string? deployment, string? provider)
    {
        if (group is null || deployment is null)
        {
            return group is null ? (deployment, "model") : (group, "model_group");
        }

        var groupSource = engine.Resolve(group, provider).Source;
        return groupSource.IsGuess() && engine.Resolve(deployment, provider).Source < groupSource ? (deployment, "model") : (group, "model_group");
    }

    /// <summary>startTime and endTime are Unix epoch seconds (floats); the call's time is its start, its latency the difference.</summary>
    private static void WriteTimes(LedgerCall call, JsonElement entry, string path, Dictionary<string, string[]> errors)
    {
        var start = Seconds(entry, "startTime", path, errors);
        var end = Seconds(entry, "endTime", path, errors);
        if (start is null)
        {
            if (!errors.ContainsKey(path + "startTime"))
            {
                Add(errors, path + "startTime", "'startTime' is required: when the call started, in Unix epoch seconds as LiteLLM sends it (such as 1732701234.567)");
            }

            return;
        }

        var startMs = (long)Math.Round(start.Value * 1000m);
        call.Write("timestamp", DateTimeOffset.FromUnixTimeMilliseconds(startMs).ToString("O", CultureInfo.InvariantCulture), "startTime");
        if (end is { } endSeconds)
        {
            var latency = (long)Math.Round(endSeconds * 1000m) - startMs;
            if (latency < 0)
            {
                Add(errors, path + "endTime", "'endTime' is before 'startTime'; both are Unix epoch seconds");
                return;
            }

            call.Write("latency_ms", latency, "endTime");
        }
    }

    private static void WriteStatus(LedgerCall call, JsonElement entry, string path, Dictionary<string, string[]> errors)
    {
        switch (Text(entry, "status", path, errors, required: false))
        {
            case null or "success":
                call.Write("status", "success", "status");
                break;
            case "failure":
                call.Write("status", "error", "status");
                break;
            case var other:
                Add(errors, path + "status", $"'status' is '{other}'; LiteLLM sends \"success\" or \"failure\"");
                break;
        }
    }

    /// <summary>
    /// Canonical counts from prompt_tokens and completion_tokens, with the cache counts of the usage object
    /// LiteLLM keeps (metadata.usage_object, else hidden_params.usage_object) so cached tokens are priced at
    /// cache prices. LiteLLM's prompt_tokens counts cache reads; since it reports
    /// prompt_tokens_details.cache_creation_tokens it counts cache writes too, before that it did not
    /// (cache_creation_input_tokens beside it). Cache counts larger than that total mean prompt_tokens
    /// counted no cached token at all, and they are added. No counts at all: the ledger's rule for a call
    /// without usage applies (estimated, or unknown at $0 for a failure).
    /// </summary>
    private static void WriteUsage(LedgerCall call, JsonElement entry, JsonElement metadata, string path, Dictionary<string, string[]> errors)
    {
        var prompt = Count(entry, "prompt_tokens", path, errors) ?? 0;
        var completion = Count(entry, "completion_tokens", path, errors) ?? 0;
        var (usage, usagePath) = HasObject(metadata, "usage_object") ? (metadata.GetProperty("usage_object"), path + "metadata.usage_object.")
            : entry.TryGetProperty("hidden_params", out var hidden) && HasObject(hidden, "usage_object") ? (hidden.GetProperty("usage_object"), path + "hidden_params.usage_object.")
            : (default, string.Empty);
        var cacheRead = Count(usage, "prompt_tokens_details.cached_tokens", usagePath, errors) ?? Count(usage, "cache_read_input_tokens", usagePath, errors) ?? 0;
        var writesInPrompt = Count(usage, "prompt_tokens_details.cache_creation_tokens", usagePath, errors);
        var cacheWrite = writesInPrompt ?? Count(usage, "cache_creation_input_tokens", usagePath, errors) ?? 0;
        var cacheWrite1h = Count(usage, "prompt_tokens_details.cache_creation_token_details.ephemeral_1h_input_tokens", usagePath, errors) ?? 0;
        if (cacheWrite1h > cacheWrite)
        {
            Add(errors, usagePath + "prompt_tokens_details.cache_creation_token_details.ephemeral_1h_input_tokens", $"1-hour cache writes ({cacheWrite1h}) exceed the cache writes ({cacheWrite}); send the usage object as LiteLLM logged it");
            return;
        }

        var input = writesInPrompt is null ? prompt + cacheWrite : prompt;
        if (cacheRead + cacheWrite > input)
        {
            input = prompt + cacheRead + cacheWrite;
        }

        if (input + completion == 0)
        {
            return;
        }

        long Detail(string dotted) => Count(usage, dotted, usagePath, errors) ?? 0;
        call.WriteUsage(
            new TokenUsage(input, completion, cacheRead, cacheWrite, cacheWrite1h)
            {
                InputAudioTokens = Detail("prompt_tokens_details.audio_tokens"),
                InputImageTokens = Detail("prompt_tokens_details.image_tokens"),
                InputVideoTokens = Detail("prompt_tokens_details.video_tokens"),
                OutputAudioTokens = Detail("completion_tokens_details.audio_tokens"),
                OutputImageTokens = Detail("completion_tokens_details.image_tokens"),
                OutputVideoTokens = Detail("completion_tokens_details.video_tokens"),
                OutputReasoningTokens = Detail("completion_tokens_details.reasoning_tokens"),
                WebSearches = Count(usage, "prompt_tokens_details.web_search_requests", usagePath, errors) ?? Detail("server_tool_use.web_search_requests"),
            },
            "prompt_tokens");
    }

    /// <summary>The service tier the call was made in, from the request's parameters LiteLLM logs (<c>model_parameters.service_tier</c>).</summary>
    private static void WriteServiceTier(LedgerCall call, JsonElement entry, string path, Dictionary<string, string[]> errors)
    {
        if (HasObject(entry, "model_parameters"))
        {
            call.Write("service_tier", Text(entry.GetProperty("model_parameters"), "service_tier", path + "model_parameters.", errors, required: false), "model_parameters.service_tier");
        }
    }

    /// <summary>
    /// The region the call was served in, from the endpoint LiteLLM called (<c>api_base</c>, else
    /// <c>hidden_params.api_base</c>): its payload has no region field, but a regional endpoint names one. OpenAI's
    /// data-residency hosts (<c>eu.api.openai.com</c>: eu), Vertex AI's regional hosts (<c>us-east5-aiplatform.googleapis.com</c>:
    /// us-east5; the global host names none) and Bedrock's (<c>bedrock-runtime.us-west-2.amazonaws.com</c>: us-west-2).
    /// </summary>
    private static void WriteRegion(LedgerCall call, JsonElement entry, string path, Dictionary<string, string[]> errors)
    {
        var apiBase = Text(entry, "api_base", path, errors, required: false);
        var source = "api_base";
        if (apiBase is null && HasObject(entry, "hidden_params"))
        {
            apiBase = Text(entry.GetProperty("hidden_params"), "api_base", path + "hidden_params.", errors, required: false);
            source = "hidden_params.api_base";
        }

        call.Write("region", RegionOf(apiBase), source);
    }

    /// <summary>The region a regional endpoint's host names, or null.</summary>
    public static string? RegionOf(string? apiBase)
    {
        if (!Uri.TryCreate(apiBase, UriKind.Absolute, out var uri))
        {
            return null;
        }

        var host = uri.Host.ToLowerInvariant();
        return host switch
        {
            _ when host.EndsWith(".api.openai.com", StringComparison.Ordinal) => host[..^".api.openai.com".Length],
            _ when host.EndsWith("-aiplatform.googleapis.com", StringComparison.Ordinal) => host[..^"-aiplatform.googleapis.com".Length],
            _ when host.StartsWith("bedrock-runtime.", StringComparison.Ordinal) && host.EndsWith(".amazonaws.com", StringComparison.Ordinal)
                => host["bedrock-runtime.".Length..^".amazonaws.com".Length],
            _ => null,
        } is { Length: > 0 } region && !region.Contains('.') ? region : null;
    }

    private static JsonElement Metadata(JsonElement entry, string path, Dictionary<string, string[]> errors)
    {
        if (!entry.TryGetProperty("metadata", out var metadata) || metadata.ValueKind is JsonValueKind.Null or JsonValueKind.Object)
        {
            return metadata;
        }

        Add(errors, path + "metadata", "'metadata' must be an object (LiteLLM's StandardLoggingMetadata: user_api_key_alias, user_api_key_user_id, user_api_key_team_id, ...)");
        return default;
    }

    private static decimal? Seconds(JsonElement entry, string name, string path, Dictionary<string, string[]> errors)
    {
        if (!entry.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number
            && decimal.TryParse(value.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            && seconds is >= MinEpochSeconds and <= MaxEpochSeconds)
        {
            return seconds;
        }

        Add(errors, path + name, $"'{name}' must be Unix epoch seconds from the year 2000 on, a number as LiteLLM sends it (such as 1732701234.567)");
        return null;
    }

    /// <summary>A token count at <paramref name="dotted"/> (nested objects allowed); null when absent or null.</summary>
    private static long? Count(JsonElement container, string dotted, string path, Dictionary<string, string[]> errors)
    {
        var value = container;
        foreach (var name in dotted.Split('.'))
        {
            if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(name, out value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var count) && count >= 0)
        {
            return count;
        }

        Add(errors, path + dotted, $"'{dotted}' must be a whole number of tokens, 0 or more");
        return null;
    }

    private static bool HasObject(JsonElement container, string name) =>
        container.ValueKind == JsonValueKind.Object && container.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object;

    /// <summary>
    /// The ledger's call being written, and which LiteLLM field each of its fields came from, so that what
    /// the ledger finds wrong is reported under the LiteLLM field (and in its words).
    /// </summary>
    private sealed class LedgerCall
    {
        private readonly ArrayBufferWriter<byte> _buffer = new();
        private readonly Utf8JsonWriter _writer;
        private readonly Dictionary<string, string> _sources = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _tags = new(StringComparer.Ordinal);
        private readonly string _path;
        private readonly Dictionary<string, string[]> _errors;

        /// <param name="path">The entry's place in the body, prefixed to every error ("[3]." in a list).</param>
        public LedgerCall(string path, Dictionary<string, string[]> errors)
        {
            _path = path;
            _errors = errors;
            _writer = new Utf8JsonWriter(_buffer);
            _writer.WriteStartObject();
        }

        public void Write(string field, string? value, string source)
        {
            _sources[field] = source;
            if (value is not null)
            {
                _writer.WriteString(field, value);
            }
        }

        public void Write(string field, long value, string source)
        {
            _sources[field] = source;
            _writer.WriteNumber(field, value);
        }

        /// <summary>Copies a value as sent (a number keeps its text), for the ledger to validate.</summary>
        public void Copy(string field, JsonElement entry, string source)
        {
            _sources[field] = source;
            if (entry.TryGetProperty(source, out var value) && value.ValueKind != JsonValueKind.Null)
            {
                _writer.WritePropertyName(field);
                value.WriteTo(_writer);
            }
        }

        public void Tag(string tag, string? value, string source)
        {
            if (value is not null)
            {
                _tags[tag] = value;
                _sources["tags." + tag] = source;
            }
        }

        public void WriteUsage(in TokenUsage usage, string source)
        {
            _sources["usage"] = source;
            _writer.WriteStartObject("usage");
            _writer.WriteNumber("input_tokens", usage.InputTokens);
            _writer.WriteNumber("output_tokens", usage.OutputTokens);
            _writer.WriteNumber("cache_read_tokens", usage.CacheReadTokens);
            _writer.WriteNumber("cache_write_tokens", usage.CacheWriteTokens);
            _writer.WriteNumber("cache_write_1h_tokens", usage.CacheWrite1hTokens);
            foreach (var unit in UsageCounts.MediaUnits)
            {
                if (usage[unit] != 0)
                {
                    _writer.WriteNumber(UsageUnits.WireName(unit), usage[unit]);
                }
            }

            _writer.WriteEndObject();
        }

        /// <summary>Finishes the call and reads it as POST /v1/usage would; its errors are added under the LiteLLM fields.</summary>
        public UsageRecord? Read(UsageCallReader ledger)
        {
            if (_tags.Count > 0)
            {
                _writer.WriteStartObject("tags");
                foreach (var (tag, value) in _tags)
                {
                    _writer.WriteString(tag, value);
                }

                _writer.WriteEndObject();
            }

            _writer.WriteEndObject();
            _writer.Dispose();
            using var body = JsonBody.Parse(_buffer.WrittenMemory);
            var ledgerErrors = new Dictionary<string, string[]>();
            var record = ledger.Read(body.RootElement, ledgerErrors);
            foreach (var (field, messages) in ledgerErrors)
            {
                var source = SourceOf(field);
                foreach (var message in messages)
                {
                    Add(_errors, _path + source, message.Replace($"'{field}'", $"'{source}'", StringComparison.Ordinal));
                }
            }

            return record;
        }

        /// <summary>The LiteLLM field a ledger field (or one inside it, such as usage.input_tokens) came from.</summary>
        private string SourceOf(string field) =>
            _sources.TryGetValue(field, out var source) || _sources.TryGetValue(field.Split('.')[0], out source) ? source : field;
    }
}
