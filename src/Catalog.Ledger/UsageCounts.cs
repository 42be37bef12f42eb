using System.Text.Json.Serialization;
using Catalog.Pricing;

namespace Catalog.Ledger;

/// <summary>
/// Canonical usage counts, as the engine's units (<see cref="UsageUnit"/>): input_tokens includes the cache reads and
/// writes and every input modality, output_tokens every output modality and reasoning; web_searches is a count.
/// In JSON the five text-era counts are always written, the others only when not zero.
/// </summary>
public sealed record UsageCounts(long InputTokens, long OutputTokens, long CacheReadTokens, long CacheWriteTokens, [property: JsonPropertyName("cache_write_1h_tokens")] long CacheWrite1hTokens)
{
    /// <summary>The units beyond the five text-era counts of the constructor, in the order the stores keep them.</summary>
    public static readonly UsageUnit[] MediaUnits =
    [
        UsageUnit.InputAudioTokens, UsageUnit.CacheAudioReadTokens, UsageUnit.InputImageTokens, UsageUnit.CacheImageReadTokens, UsageUnit.InputVideoTokens,
        UsageUnit.OutputAudioTokens, UsageUnit.OutputImageTokens, UsageUnit.OutputVideoTokens, UsageUnit.OutputReasoningTokens, UsageUnit.WebSearches,
    ];

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long InputAudioTokens { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long CacheAudioReadTokens { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long InputImageTokens { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long CacheImageReadTokens { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long InputVideoTokens { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long OutputAudioTokens { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long OutputImageTokens { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long OutputVideoTokens { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long OutputReasoningTokens { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long WebSearches { get; init; }

    public static UsageCounts From(in TokenUsage usage) =>
        new(usage.InputTokens, usage.OutputTokens, usage.CacheReadTokens, usage.CacheWriteTokens, usage.CacheWrite1hTokens)
        {
            InputAudioTokens = usage.InputAudioTokens,
            CacheAudioReadTokens = usage.CacheAudioReadTokens,
            InputImageTokens = usage.InputImageTokens,
            CacheImageReadTokens = usage.CacheImageReadTokens,
            InputVideoTokens = usage.InputVideoTokens,
            OutputAudioTokens = usage.OutputAudioTokens,
            OutputImageTokens = usage.OutputImageTokens,
            OutputVideoTokens = usage.OutputVideoTokens,
            OutputReasoningTokens = usage.OutputReasoningTokens,
            WebSearches = usage.WebSearches,
        };

    /// <summary>The counts as the engine prices them.</summary>
    public TokenUsage ToTokenUsage() =>
        new(InputTokens, OutputTokens, CacheReadTokens, CacheWriteTokens, CacheWrite1hTokens)
        {
            InputAudioTokens = InputAudioTokens,
            CacheAudioReadTokens = CacheAudioReadTokens,
            InputImageTokens = InputImageTokens,
            CacheImageReadTokens = CacheImageReadTokens,
            InputVideoTokens = InputVideoTokens,
            OutputAudioTokens = OutputAudioTokens,
            OutputImageTokens = OutputImageTokens,
            OutputVideoTokens = OutputVideoTokens,
            OutputReasoningTokens = OutputReasoningTokens,
            WebSearches = WebSearches,
        };

    /// <summary>The count of <paramref name="unit"/>.</summary>
    public long this[UsageUnit unit] => ToTokenUsage()[unit];

    /// <summary>These counts with the media <paramref name="counts"/> (in <see cref="MediaUnits"/> order) set.</summary>
    public UsageCounts WithMedia(ReadOnlySpan<long> counts)
    {
        var usage = ToTokenUsage();
        for (var i = 0; i < MediaUnits.Length; i++)
        {
            usage = usage.With(MediaUnits[i], counts[i]);
        }

        return From(usage);
    }
}
