using System.Text.Json.Serialization;
using Catalog.Pricing;

namespace Catalog.Ledger;

/// <summary>Canonical token counts: input_tokens includes the cache reads and writes.</summary>
public sealed record UsageCounts(long InputTokens, long OutputTokens, long CacheReadTokens, long CacheWriteTokens, [property: JsonPropertyName("cache_write_1h_tokens")] long CacheWrite1hTokens)
{
    public static UsageCounts From(in TokenUsage usage) =>
        new(usage.InputTokens, usage.OutputTokens, usage.CacheReadTokens, usage.CacheWriteTokens, usage.CacheWrite1hTokens);
}
