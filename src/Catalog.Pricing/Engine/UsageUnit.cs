namespace Catalog.Pricing;

/// <summary>
/// A canonical usage count and the price that charges it. Units contain one another (cache reads and each
/// input modality lie inside input tokens, ...); see <see cref="UsageUnits"/>.
/// </summary>
public enum UsageUnit
{
    InputTokens,
    CacheReadTokens,
    CacheWriteTokens,
    CacheWrite1hTokens,
    InputAudioTokens,
    CacheAudioReadTokens,
    InputImageTokens,
    CacheImageReadTokens,
    InputVideoTokens,
    OutputTokens,
    OutputAudioTokens,
    OutputImageTokens,
    OutputVideoTokens,
    OutputReasoningTokens,
    WebSearches,
}

/// <summary>The part of a cost breakdown a unit's charge is added to.</summary>
public enum CostPart
{
    Input,
    CacheRead,
    CacheWrite,
    Output,
    Tools,
}

/// <summary>
/// What each unit is called on the wire, which price key charges it, per how many it is priced, which units
/// contain it, and the order the charging rule visits them (most specific first).
/// </summary>
public static class UsageUnits
{
    public const int Count = 15;

    /// <summary>The text-era units (input, output, cache reads and writes) as bits (1 &lt;&lt; unit): every price set may price them.</summary>
    public const int TextUnits =
        (1 << (int)UsageUnit.InputTokens) | (1 << (int)UsageUnit.OutputTokens) | (1 << (int)UsageUnit.CacheReadTokens)
        | (1 << (int)UsageUnit.CacheWriteTokens) | (1 << (int)UsageUnit.CacheWrite1hTokens);

    /// <summary>How many <see cref="CostPart"/>s there are.</summary>
    public const int PartCount = 5;

    public static readonly UsageUnit[] All = Enum.GetValues<UsageUnit>();

    private static readonly UsageUnit[] NoUnits = [];

    public static string WireName(UsageUnit unit) => unit switch
    {
        UsageUnit.InputTokens => "input_tokens",
        UsageUnit.CacheReadTokens => "cache_read_tokens",
        UsageUnit.CacheWriteTokens => "cache_write_tokens",
        UsageUnit.CacheWrite1hTokens => "cache_write_1h_tokens",
        UsageUnit.InputAudioTokens => "input_audio_tokens",
        UsageUnit.CacheAudioReadTokens => "cache_audio_read_tokens",
        UsageUnit.InputImageTokens => "input_image_tokens",
        UsageUnit.CacheImageReadTokens => "cache_image_read_tokens",
        UsageUnit.InputVideoTokens => "input_video_tokens",
        UsageUnit.OutputTokens => "output_tokens",
        UsageUnit.OutputAudioTokens => "output_audio_tokens",
        UsageUnit.OutputImageTokens => "output_image_tokens",
        UsageUnit.OutputVideoTokens => "output_video_tokens",
        UsageUnit.OutputReasoningTokens => "output_reasoning_tokens",
        UsageUnit.WebSearches => "web_searches",
        _ => throw new ArgumentOutOfRangeException(nameof(unit)),
    };

    public static string PriceKey(UsageUnit unit) => unit switch
    {
        UsageUnit.InputTokens => "input_mtok",
        UsageUnit.CacheReadTokens => "cache_read_mtok",
        UsageUnit.CacheWriteTokens => "cache_write_mtok",
        UsageUnit.CacheWrite1hTokens => "cache_write_1h_mtok",
        UsageUnit.InputAudioTokens => "input_audio_mtok",
        UsageUnit.CacheAudioReadTokens => "cache_audio_read_mtok",
        UsageUnit.InputImageTokens => "input_image_mtok",
        UsageUnit.CacheImageReadTokens => "cache_image_read_mtok",
        UsageUnit.InputVideoTokens => "input_video_mtok",
        UsageUnit.OutputTokens => "output_mtok",
        UsageUnit.OutputAudioTokens => "output_audio_mtok",
        UsageUnit.OutputImageTokens => "output_image_mtok",
        UsageUnit.OutputVideoTokens => "output_video_mtok",
        UsageUnit.OutputReasoningTokens => "output_reasoning_mtok",
        UsageUnit.WebSearches => "web_searches_kcount",
        _ => throw new ArgumentOutOfRangeException(nameof(unit)),
    };

    /// <summary>Web searches are priced per thousand, tokens per million.</summary>
    public static bool PerThousand(UsageUnit unit) => unit == UsageUnit.WebSearches;

    public static CostPart Part(UsageUnit unit) => unit switch
    {
        UsageUnit.CacheReadTokens or UsageUnit.CacheAudioReadTokens or UsageUnit.CacheImageReadTokens => CostPart.CacheRead,
        UsageUnit.CacheWriteTokens or UsageUnit.CacheWrite1hTokens => CostPart.CacheWrite,
        UsageUnit.OutputTokens or UsageUnit.OutputAudioTokens or UsageUnit.OutputImageTokens or UsageUnit.OutputVideoTokens or UsageUnit.OutputReasoningTokens => CostPart.Output,
        UsageUnit.WebSearches => CostPart.Tools,
        _ => CostPart.Input,
    };

    /// <summary>The units that contain <paramref name="unit"/> (every token of it is one of theirs too).</summary>
    public static UsageUnit[] Containers(UsageUnit unit) => ContainersOf[(int)unit];

    /// <summary>The units inside <paramref name="unit"/>.</summary>
    public static UsageUnit[] Contained(UsageUnit unit) => ContainedIn[(int)unit];

    /// <summary>Most specific first: a unit comes after every unit it contains.</summary>
    public static readonly UsageUnit[] SpecificFirst =
    [
        UsageUnit.CacheAudioReadTokens, UsageUnit.CacheImageReadTokens, UsageUnit.CacheWrite1hTokens,
        UsageUnit.CacheReadTokens, UsageUnit.CacheWriteTokens,
        UsageUnit.InputAudioTokens, UsageUnit.InputImageTokens, UsageUnit.InputVideoTokens, UsageUnit.InputTokens,
        UsageUnit.OutputAudioTokens, UsageUnit.OutputImageTokens, UsageUnit.OutputVideoTokens, UsageUnit.OutputReasoningTokens, UsageUnit.OutputTokens,
        UsageUnit.WebSearches,
    ];

    /// <summary>
    /// Pairs of units whose tokens can overlap, and the unit that is their overlap: a price set that prices
    /// both must price the overlap (the join rule), or the overlap would be charged twice.
    /// </summary>
    public static readonly (UsageUnit First, UsageUnit Second, UsageUnit Join)[] Joins =
    [
        (UsageUnit.CacheReadTokens, UsageUnit.InputAudioTokens, UsageUnit.CacheAudioReadTokens),
        (UsageUnit.CacheReadTokens, UsageUnit.InputImageTokens, UsageUnit.CacheImageReadTokens),
    ];

    private static readonly UsageUnit[][] ContainersOf = All.Select(u => u switch
    {
        UsageUnit.CacheReadTokens or UsageUnit.CacheWriteTokens or UsageUnit.InputAudioTokens or UsageUnit.InputImageTokens or UsageUnit.InputVideoTokens => [UsageUnit.InputTokens],
        UsageUnit.CacheWrite1hTokens => [UsageUnit.CacheWriteTokens, UsageUnit.InputTokens],
        UsageUnit.CacheAudioReadTokens => [UsageUnit.CacheReadTokens, UsageUnit.InputAudioTokens, UsageUnit.InputTokens],
        UsageUnit.CacheImageReadTokens => [UsageUnit.CacheReadTokens, UsageUnit.InputImageTokens, UsageUnit.InputTokens],
        UsageUnit.OutputAudioTokens or UsageUnit.OutputImageTokens or UsageUnit.OutputVideoTokens or UsageUnit.OutputReasoningTokens => [UsageUnit.OutputTokens],
        _ => NoUnits,
    }).ToArray();

    private static readonly UsageUnit[][] ContainedIn = All.Select(u => All.Where(d => ContainersOf[(int)d].Contains(u)).ToArray()).ToArray();
}
