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

    /// <summary>The count of one of <see cref="MediaUnits"/>.</summary>
    public long this[UsageUnit unit] => unit switch
    {
        UsageUnit.InputAudioTokens => InputAudioTokens,
        UsageUnit.CacheAudioReadTokens => CacheAudioReadTokens,
        UsageUnit.InputImageTokens => InputImageTokens,
        UsageUnit.CacheImageReadTokens => CacheImageReadTokens,
        UsageUnit.InputVideoTokens => InputVideoTokens,
        UsageUnit.OutputAudioTokens => OutputAudioTokens,
        UsageUnit.OutputImageTokens => OutputImageTokens,
        UsageUnit.OutputVideoTokens => OutputVideoTokens,
        UsageUnit.OutputReasoningTokens => OutputReasoningTokens,
        UsageUnit.WebSearches => WebSearches,
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "the five text-era counts are the constructor's"),
    };

    public static UsageCounts From(in TokenUsage usage)
    {
        var counts = new UsageCounts(usage.InputTokens, usage.OutputTokens, usage.CacheReadTokens, usage.CacheWriteTokens, usage.CacheWrite1hTokens);
        if (usage.IsTextOnly)
        {
            return counts;
        }

        Span<long> media = stackalloc long[MediaUnits.Length];
        for (var i = 0; i < media.Length; i++)
        {
            media[i] = usage[MediaUnits[i]];
        }

        return counts.WithMedia(media);
    }

    /// <summary>The counts as the engine prices them.</summary>
    public TokenUsage ToTokenUsage()
    {
        var usage = new TokenUsage(InputTokens, OutputTokens, CacheReadTokens, CacheWriteTokens, CacheWrite1hTokens);
        foreach (var unit in MediaUnits)
        {
            usage = usage.With(unit, this[unit]);
        }

        return usage;
    }

    /// <summary>These counts with the media <paramref name="counts"/> (in <see cref="MediaUnits"/> order) set.</summary>
    public UsageCounts WithMedia(ReadOnlySpan<long> counts) => this with
    {
        InputAudioTokens = counts[0],
        CacheAudioReadTokens = counts[1],
        InputImageTokens = counts[2],
        CacheImageReadTokens = counts[3],
        InputVideoTokens = counts[4],
        OutputAudioTokens = counts[5],
        OutputImageTokens = counts[6],
        OutputVideoTokens = counts[7],
        OutputReasoningTokens = counts[8],
        WebSearches = counts[9],
    };
}
