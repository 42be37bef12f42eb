namespace Catalog.Pricing;

/// <summary>
/// Usage in canonical counts. Containment: cache reads, cache writes and each input modality lie inside
/// <see cref="InputTokens"/> (every input token); <see cref="CacheWrite1hTokens"/> inside <see cref="CacheWriteTokens"/>;
/// <see cref="CacheAudioReadTokens"/> inside both <see cref="CacheReadTokens"/> and <see cref="InputAudioTokens"/> (image alike);
/// each output modality and reasoning inside <see cref="OutputTokens"/> (every output token). <see cref="WebSearches"/> is a count of searches.
/// </summary>
public readonly record struct TokenUsage(
    long InputTokens,
    long OutputTokens,
    long CacheReadTokens = 0,
    long CacheWriteTokens = 0,
    long CacheWrite1hTokens = 0)
{
    /// <summary>Counts above this are not a real request (10^12 tokens).</summary>
    public const long MaxTokens = 1_000_000_000_000;

    public long InputAudioTokens { get; init; }

    public long CacheAudioReadTokens { get; init; }

    public long InputImageTokens { get; init; }

    public long CacheImageReadTokens { get; init; }

    public long InputVideoTokens { get; init; }

    public long OutputAudioTokens { get; init; }

    public long OutputImageTokens { get; init; }

    public long OutputVideoTokens { get; init; }

    public long OutputReasoningTokens { get; init; }

    public long WebSearches { get; init; }

    /// <summary>
    /// The reasoning tokens (already counted in <see cref="OutputReasoningTokens"/>) that an OpenAI-style usage reported in
    /// completion_tokens_details: inside the output tokens for most providers, beside them for a provider whose catalogue
    /// entry says <c>reasoning_tokens: separate</c>. The engine places them (<see cref="PricingEngine.Price"/>).
    /// </summary>
    public long DetailReasoningTokens { get; init; }

    /// <summary>Input tokens that are neither read from nor written to the cache.</summary>
    public long UncachedInputTokens => InputTokens - CacheReadTokens - CacheWriteTokens;

    /// <summary>Only the text-era counts (input, output, cache reads and writes): no modality, reasoning or tool count.</summary>
    public bool IsTextOnly =>
        (InputAudioTokens | CacheAudioReadTokens | InputImageTokens | CacheImageReadTokens | InputVideoTokens
         | OutputAudioTokens | OutputImageTokens | OutputVideoTokens | OutputReasoningTokens | WebSearches) == 0;

    public bool IsEmpty => InputTokens == 0 && OutputTokens == 0 && CacheReadTokens == 0 && CacheWriteTokens == 0 && CacheWrite1hTokens == 0 && IsTextOnly;

    public long this[UsageUnit unit] => unit switch
    {
        UsageUnit.InputTokens => InputTokens,
        UsageUnit.CacheReadTokens => CacheReadTokens,
        UsageUnit.CacheWriteTokens => CacheWriteTokens,
        UsageUnit.CacheWrite1hTokens => CacheWrite1hTokens,
        UsageUnit.InputAudioTokens => InputAudioTokens,
        UsageUnit.CacheAudioReadTokens => CacheAudioReadTokens,
        UsageUnit.InputImageTokens => InputImageTokens,
        UsageUnit.CacheImageReadTokens => CacheImageReadTokens,
        UsageUnit.InputVideoTokens => InputVideoTokens,
        UsageUnit.OutputTokens => OutputTokens,
        UsageUnit.OutputAudioTokens => OutputAudioTokens,
        UsageUnit.OutputImageTokens => OutputImageTokens,
        UsageUnit.OutputVideoTokens => OutputVideoTokens,
        UsageUnit.OutputReasoningTokens => OutputReasoningTokens,
        UsageUnit.WebSearches => WebSearches,
        _ => throw new ArgumentOutOfRangeException(nameof(unit)),
    };

    /// <summary>These counts with <paramref name="unit"/> set to <paramref name="count"/>.</summary>
    public TokenUsage With(UsageUnit unit, long count) => unit switch
    {
        UsageUnit.InputTokens => this with { InputTokens = count },
        UsageUnit.CacheReadTokens => this with { CacheReadTokens = count },
        UsageUnit.CacheWriteTokens => this with { CacheWriteTokens = count },
        UsageUnit.CacheWrite1hTokens => this with { CacheWrite1hTokens = count },
        UsageUnit.InputAudioTokens => this with { InputAudioTokens = count },
        UsageUnit.CacheAudioReadTokens => this with { CacheAudioReadTokens = count },
        UsageUnit.InputImageTokens => this with { InputImageTokens = count },
        UsageUnit.CacheImageReadTokens => this with { CacheImageReadTokens = count },
        UsageUnit.InputVideoTokens => this with { InputVideoTokens = count },
        UsageUnit.OutputTokens => this with { OutputTokens = count },
        UsageUnit.OutputAudioTokens => this with { OutputAudioTokens = count },
        UsageUnit.OutputImageTokens => this with { OutputImageTokens = count },
        UsageUnit.OutputVideoTokens => this with { OutputVideoTokens = count },
        UsageUnit.OutputReasoningTokens => this with { OutputReasoningTokens = count },
        UsageUnit.WebSearches => this with { WebSearches = count },
        _ => throw new ArgumentOutOfRangeException(nameof(unit)),
    };

    /// <summary>
    /// The first count that does not fit in its container, or null when every count fits: a unit larger than a
    /// unit containing it (<see cref="UsageOverflow.Sum"/> false), or the parts of a container adding up to more
    /// than it (true; <see cref="UsageOverflow.Unit"/> is then the container).
    /// </summary>
    public UsageOverflow? Overflow() =>
        IsTextOnly && (InputTokens | OutputTokens | CacheReadTokens | CacheWriteTokens | CacheWrite1hTokens) >= 0 ? TextOverflow() : EveryUnitOverflow();

    /// <summary>
    /// <see cref="Overflow"/> of text-only counts, none negative (most calls): the other units are 0 and fit in any container, so
    /// only the cache counts are checked, in the order the walk over every unit checks them.
    /// </summary>
    private UsageOverflow? TextOverflow() =>
        CacheReadTokens > InputTokens ? new UsageOverflow(UsageUnit.CacheReadTokens, UsageUnit.InputTokens, CacheReadTokens, InputTokens, false)
        : CacheWriteTokens > InputTokens ? new UsageOverflow(UsageUnit.CacheWriteTokens, UsageUnit.InputTokens, CacheWriteTokens, InputTokens, false)
        : CacheWrite1hTokens > CacheWriteTokens ? new UsageOverflow(UsageUnit.CacheWrite1hTokens, UsageUnit.CacheWriteTokens, CacheWrite1hTokens, CacheWriteTokens, false)
        : CacheWrite1hTokens > InputTokens ? new UsageOverflow(UsageUnit.CacheWrite1hTokens, UsageUnit.InputTokens, CacheWrite1hTokens, InputTokens, false)
        : CacheReadTokens + CacheWriteTokens > InputTokens ? new UsageOverflow(UsageUnit.InputTokens, UsageUnit.InputTokens, CacheReadTokens + CacheWriteTokens, InputTokens, true)
        : null;

    /// <summary><see cref="Overflow"/> by walking every unit and each of its containers.</summary>
    internal UsageOverflow? EveryUnitOverflow()
    {
        foreach (var unit in UsageUnits.All)
        {
            foreach (var container in UsageUnits.Containers(unit))
            {
                if (this[unit] > this[container])
                {
                    return new UsageOverflow(unit, container, this[unit], this[container], false);
                }
            }
        }

        var inputParts = CacheReadTokens + CacheWriteTokens + InputAudioTokens + InputImageTokens + InputVideoTokens - CacheAudioReadTokens - CacheImageReadTokens;
        if (inputParts > InputTokens)
        {
            return new UsageOverflow(UsageUnit.InputTokens, UsageUnit.InputTokens, inputParts, InputTokens, true);
        }

        var outputParts = OutputAudioTokens + OutputImageTokens + OutputVideoTokens + OutputReasoningTokens;
        return outputParts > OutputTokens ? new UsageOverflow(UsageUnit.OutputTokens, UsageUnit.OutputTokens, outputParts, OutputTokens, true) : null;
    }
}

/// <summary>A count larger than the count that contains it (or, with <see cref="Sum"/>, the parts of a count adding up to more than it).</summary>
public readonly record struct UsageOverflow(UsageUnit Unit, UsageUnit Container, long Count, long ContainerCount, bool Sum)
{
    /// <summary>Says what is wrong, naming the fields with <paramref name="field"/> (canonical names by default).</summary>
    public string Describe(Func<UsageUnit, string>? field = null)
    {
        field ??= UsageUnits.WireName;
        return Sum
            ? $"the cached, audio, image, video and reasoning counts inside {field(Container)} add up to {Count}, more than {field(Container)} ({ContainerCount}), which contains them all"
            : $"{field(Unit)} ({Count}) is more than {field(Container)} ({ContainerCount}), which contains it";
    }
}
