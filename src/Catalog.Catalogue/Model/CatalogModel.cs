namespace Catalog.Catalogue.Model
{
    /// <summary>A place in the catalogue file (1-based line and column), kept without Roslyn types.</summary>
    public sealed record LocationInfo(string FilePath, int Line, int Column, int EndLine, int EndColumn)
    {
        /// <summary>The file's first character, for problems about the whole file, so the build still names it.</summary>
        public static LocationInfo StartOf(string filePath) => new LocationInfo(filePath, 1, 1, 1, 2);

        public override string ToString() => $"{FilePath}({Line},{Column})";
    }

    /// <summary>One problem found in the catalogue; the generator turns it into a build diagnostic.</summary>
    public sealed record CatalogProblem(string Id, string Message, LocationInfo? Location);

    public sealed record PriceBlock(
        decimal? InputMtok,
        decimal? OutputMtok,
        decimal? CacheReadMtok,
        decimal? CacheWriteMtok,
        decimal? CacheWrite1hMtok,
        EquatableArray<TierDoc> Tiers)
    {
        /// <summary>The schema-2 prices this block sets (audio, image, video, reasoning, web searches), in <see cref="Parsing.CatalogKeys.UnitPriceFields"/> order.</summary>
        public EquatableArray<UnitPriceDoc> UnitPrices { get; init; } = EquatableArray<UnitPriceDoc>.Empty;

        /// <summary>The value of any price key of the block, or null when it is not set.</summary>
        public decimal? this[string key]
        {
            get
            {
                switch (key)
                {
                    case "input_mtok": return InputMtok;
                    case "output_mtok": return OutputMtok;
                    case "cache_read_mtok": return CacheReadMtok;
                    case "cache_write_mtok": return CacheWriteMtok;
                    case "cache_write_1h_mtok": return CacheWrite1hMtok;
                    default:
                        foreach (var price in UnitPrices)
                        {
                            if (price.Key == key)
                            {
                                return price.Value;
                            }
                        }

                        return null;
                }
            }
        }
    }

    /// <summary>One schema-2 price of a block: its key (e.g. input_audio_mtok) and value.</summary>
    public sealed record UnitPriceDoc(string Key, decimal Value);

    public sealed record TierDoc(long AboveInputTokens, PriceBlock Prices);

    public sealed record HistoryDoc(string Until, PriceBlock Prices);

    public sealed record ModelDoc(
        string Provider,
        string Id,
        string? Name,
        bool Active,
        EquatableArray<string> MatchPrefixes,
        EquatableArray<string> MatchNames,
        string? Source,
        string? Checked,
        PriceBlock? Prices,
        EquatableArray<HistoryDoc> History,
        decimal PerRequestUsd,
        decimal? EstimateRequestUsd,
        string? Notes,
        LocationInfo Location)
    {
        public string FullName => Provider + "/" + Id;

        /// <summary>Name endings that resolve to this model (<c>match.suffixes</c>).</summary>
        public EquatableArray<string> MatchSuffixes { get; init; } = EquatableArray<string>.Empty;

        /// <summary>Substrings of a name that resolve to this model (<c>match.contains</c>).</summary>
        public EquatableArray<string> MatchContains { get; init; } = EquatableArray<string>.Empty;

        /// <summary>Regular expressions a whole name is matched against (<c>match.regex</c>), in file order.</summary>
        public EquatableArray<string> MatchRegexes { get; init; } = EquatableArray<string>.Empty;

        public EquatableArray<ModifierDoc> ServiceTiers { get; init; } = EquatableArray<ModifierDoc>.Empty;

        public EquatableArray<ModifierDoc> Regions { get; init; } = EquatableArray<ModifierDoc>.Empty;

        public EquatableArray<TimeWindowDoc> TimeWindows { get; init; } = EquatableArray<TimeWindowDoc>.Empty;
    }

    public sealed record ProviderDoc(
        string Id,
        string Name,
        bool CacheTokensSeparate,
        string? InputPerTokenEnv,
        string? OutputPerTokenEnv,
        PriceBlock? DefaultPrices,
        string? Source,
        string? Checked,
        EquatableArray<ModelDoc> Models,
        LocationInfo Location)
    {
        /// <summary>True when the provider's OpenAI-style usage reports completion_tokens_details.reasoning_tokens beside completion_tokens (xAI).</summary>
        public bool ReasoningTokensSeparate { get; init; }

        public EquatableArray<ModifierDoc> ServiceTiers { get; init; } = EquatableArray<ModifierDoc>.Empty;

        public EquatableArray<ModifierDoc> Regions { get; init; } = EquatableArray<ModifierDoc>.Empty;
    }

    /// <summary>A service tier or region: a multiplier of every token and count price, or a whole price set.</summary>
    public sealed record ModifierDoc(string Name, decimal? Multiplier, PriceBlock? Prices);

    /// <summary>A UTC time-of-day window (HH:mm, from inclusive, to exclusive, may wrap midnight) with a multiplier or a price set.</summary>
    public sealed record TimeWindowDoc(string From, string To, decimal? Multiplier, PriceBlock? Prices);

    public sealed record AliasDoc(
        string Name,
        string Target,
        PriceBlock? Prices,
        string? Notes,
        LocationInfo Location,
        LocationInfo TargetLocation);

    /// <summary>An alias after its chain was followed to a model at build time.</summary>
    public sealed record ResolvedAlias(
        AliasDoc Alias,
        string ResolvedModel,
        EquatableArray<string> Chain,
        PriceBlock? EffectivePrices);

    public sealed record InstanceDoc(
        string Vendor,
        string Region,
        string Type,
        string Size,
        string? Accelerator,
        decimal HourlyUsd,
        LocationInfo Location)
    {
        public string Key => Vendor + "/" + Region + "/" + Type + "/" + Size;
    }

    public sealed record EndpointDoc(
        string Id,
        string Model,
        string Vendor,
        string Region,
        string? InstanceType,
        string? InstanceSize,
        decimal HourlyUsd,
        int MinReplicas,
        int MaxReplicas,
        int? ScaleToZeroAfterMinutes,
        string? Notes,
        LocationInfo Location);

    public sealed record AlertDoc(
        string Id,
        string Kind,
        decimal? ThresholdUsd,
        string? Team,
        decimal? Multiplier,
        decimal? MinUsd,
        decimal? AboveMtok,
        string? Notes,
        LocationInfo Location);

    /// <summary>
    /// A spending budget reviewed like prices: a UTC monthly or daily amount for the calls of one scope
    /// (<see cref="ScopeDimension"/> team, user, app, tag as key:value, model, provider or endpoint, as calls record them).
    /// </summary>
    public sealed record BudgetDoc(
        string Id,
        string? Name,
        string Period,
        decimal AmountUsd,
        string ScopeDimension,
        string ScopeValue,
        decimal? WarningShare,
        string? Notes,
        LocationInfo Location);

    public sealed record CatalogDoc(
        int Schema,
        string Version,
        string SourceFile,
        long TypicalInputTokens,
        long TypicalOutputTokens,
        PriceBlock Fallback,
        EquatableArray<ProviderDoc> Providers,
        EquatableArray<ResolvedAlias> Aliases,
        EquatableArray<InstanceDoc> Instances,
        EquatableArray<EndpointDoc> Endpoints,
        EquatableArray<AlertDoc> Alerts)
    {
        public EquatableArray<BudgetDoc> Budgets { get; init; } = EquatableArray<BudgetDoc>.Empty;
    }

    /// <summary>What one parse produced: the catalogue when it is valid, and every problem found.</summary>
    public sealed record ParseResult(CatalogDoc? Catalog, EquatableArray<CatalogProblem> Problems)
    {
        public bool HasErrors => Problems.Count > 0;
    }
}
