using System.Collections.Frozen;

namespace Catalog.Pricing;

/// <summary>How a provider's usage reports cache tokens.</summary>
public enum CacheTokens
{
    /// <summary>Cache tokens are inside the input count (OpenAI, Google).</summary>
    Included,

    /// <summary>Cache tokens are reported beside the input count (Anthropic).</summary>
    Separate,
}

/// <summary>
/// The prices a set and a cliff tier both may name beyond input, output and cache reads/writes (USD per million
/// tokens; web searches per thousand), with a bit per priced unit kept by their init accessors.
/// </summary>
public abstract record UnitPrices
{
    /// <summary>A bit per unit beyond input, output and cache reads/writes that these prices name (kept by the init accessors).</summary>
    private int _unitPrices;

    public decimal? InputAudioMtok { get; init => field = PriceSet.Mark(ref _unitPrices, UsageUnit.InputAudioTokens, value); }

    public decimal? CacheAudioReadMtok { get; init => field = PriceSet.Mark(ref _unitPrices, UsageUnit.CacheAudioReadTokens, value); }

    public decimal? OutputAudioMtok { get; init => field = PriceSet.Mark(ref _unitPrices, UsageUnit.OutputAudioTokens, value); }

    public decimal? InputImageMtok { get; init => field = PriceSet.Mark(ref _unitPrices, UsageUnit.InputImageTokens, value); }

    public decimal? CacheImageReadMtok { get; init => field = PriceSet.Mark(ref _unitPrices, UsageUnit.CacheImageReadTokens, value); }

    public decimal? OutputImageMtok { get; init => field = PriceSet.Mark(ref _unitPrices, UsageUnit.OutputImageTokens, value); }

    public decimal? InputVideoMtok { get; init => field = PriceSet.Mark(ref _unitPrices, UsageUnit.InputVideoTokens, value); }

    public decimal? OutputVideoMtok { get; init => field = PriceSet.Mark(ref _unitPrices, UsageUnit.OutputVideoTokens, value); }

    public decimal? OutputReasoningMtok { get; init => field = PriceSet.Mark(ref _unitPrices, UsageUnit.OutputReasoningTokens, value); }

    /// <summary>USD per thousand web searches (grounding queries).</summary>
    public decimal? WebSearchesKcount { get; init => field = PriceSet.Mark(ref _unitPrices, UsageUnit.WebSearches, value); }

    /// <summary>True when a price beyond input, output and cache reads/writes is set.</summary>
    public bool HasUnitPrices => _unitPrices != 0;

    /// <summary>A copy with each of these prices multiplied by <paramref name="multiplier"/>, exactly (<c>price * multiplier</c>).</summary>
    internal UnitPrices Times(decimal multiplier) => this with
    {
        InputAudioMtok = InputAudioMtok * multiplier,
        CacheAudioReadMtok = CacheAudioReadMtok * multiplier,
        OutputAudioMtok = OutputAudioMtok * multiplier,
        InputImageMtok = InputImageMtok * multiplier,
        CacheImageReadMtok = CacheImageReadMtok * multiplier,
        OutputImageMtok = OutputImageMtok * multiplier,
        InputVideoMtok = InputVideoMtok * multiplier,
        OutputVideoMtok = OutputVideoMtok * multiplier,
        OutputReasoningMtok = OutputReasoningMtok * multiplier,
        WebSearchesKcount = WebSearchesKcount * multiplier,
    };
}

/// <summary>A cliff tier: above <see cref="AboveInputTokens"/> total input tokens, every token uses these prices; null keeps the base price.</summary>
public sealed record PriceTier(
    long AboveInputTokens,
    decimal? InputMtok,
    decimal? OutputMtok,
    decimal? CacheReadMtok,
    decimal? CacheWriteMtok,
    decimal? CacheWrite1hMtok) : UnitPrices, IUnitPrices
{
    /// <summary>The tier's price of <paramref name="unit"/>, or null where it keeps the base price.</summary>
    public decimal? this[UsageUnit unit] => unit switch
    {
        UsageUnit.InputTokens => InputMtok,
        UsageUnit.OutputTokens => OutputMtok,
        _ => PriceSet.UnitPrice(unit, this),
    };
}

/// <summary>Prices in USD per million tokens. Null cache prices fall back (see <see cref="CostCalculator"/>).</summary>
public sealed record PriceSet(
    decimal InputMtok,
    decimal OutputMtok,
    decimal? CacheReadMtok,
    decimal? CacheWriteMtok,
    decimal? CacheWrite1hMtok,
    PriceTier[] Tiers) : UnitPrices, IUnitPrices
{
    private PlanSlot _plan;

    /// <summary>True when this set or one of its tiers prices a unit beyond input, output and cache reads/writes.</summary>
    public bool PricesMoreThanText => HasUnitPrices || Array.Exists(Tiers, static t => t.HasUnitPrices);

    /// <summary>What the charging rule needs from this set, made on first use and kept (not part of the set's value).</summary>
    internal PricePlan Plan => _plan.Plan is { } plan && ReferenceEquals(plan.Owner, this) ? plan : MakePlan();

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private PricePlan MakePlan()
    {
        var plan = new PricePlan(this);
        _plan.Plan = plan;
        return plan;
    }

    /// <summary>The price of <paramref name="unit"/> (per million tokens, per thousand searches), or null when this set does not price it.</summary>
    public decimal? this[UsageUnit unit] => unit switch
    {
        UsageUnit.InputTokens => InputMtok,
        UsageUnit.OutputTokens => OutputMtok,
        _ => UnitPrice(unit, this),
    };

    /// <summary>
    /// These prices with every token and count price (tiers' included) multiplied by <paramref name="multiplier"/>:
    /// what a multiplier of a time window, region or service tier charges. Each price is <c>price * multiplier</c>, exactly.
    /// </summary>
    public PriceSet MultipliedBy(decimal multiplier) => (PriceSet)Times(multiplier) with
    {
        InputMtok = InputMtok * multiplier,
        OutputMtok = OutputMtok * multiplier,
        CacheReadMtok = CacheReadMtok * multiplier,
        CacheWriteMtok = CacheWriteMtok * multiplier,
        CacheWrite1hMtok = CacheWrite1hMtok * multiplier,
        Tiers = Array.ConvertAll(Tiers, t => (PriceTier)t.Times(multiplier) with
        {
            InputMtok = t.InputMtok * multiplier,
            OutputMtok = t.OutputMtok * multiplier,
            CacheReadMtok = t.CacheReadMtok * multiplier,
            CacheWriteMtok = t.CacheWriteMtok * multiplier,
            CacheWrite1hMtok = t.CacheWrite1hMtok * multiplier,
        }),
    };

    /// <summary><paramref name="value"/>, with <paramref name="unit"/>'s bit of <paramref name="priced"/> set when it is a price and cleared when not.</summary>
    internal static decimal? Mark(ref int priced, UsageUnit unit, decimal? value)
    {
        priced = value.HasValue ? priced | (1 << (int)unit) : priced & ~(1 << (int)unit);
        return value;
    }

    /// <summary>The prices of units other than input and output, shared by sets and tiers (whose prices have the same names).</summary>
    internal static decimal? UnitPrice<T>(UsageUnit unit, T p)
        where T : IUnitPrices => unit switch
    {
        UsageUnit.CacheReadTokens => p.CacheReadMtok,
        UsageUnit.CacheWriteTokens => p.CacheWriteMtok,
        UsageUnit.CacheWrite1hTokens => p.CacheWrite1hMtok,
        UsageUnit.InputAudioTokens => p.InputAudioMtok,
        UsageUnit.CacheAudioReadTokens => p.CacheAudioReadMtok,
        UsageUnit.InputImageTokens => p.InputImageMtok,
        UsageUnit.CacheImageReadTokens => p.CacheImageReadMtok,
        UsageUnit.InputVideoTokens => p.InputVideoMtok,
        UsageUnit.OutputAudioTokens => p.OutputAudioMtok,
        UsageUnit.OutputImageTokens => p.OutputImageMtok,
        UsageUnit.OutputVideoTokens => p.OutputVideoMtok,
        UsageUnit.OutputReasoningTokens => p.OutputReasoningMtok,
        UsageUnit.WebSearches => p.WebSearchesKcount,
        _ => throw new ArgumentOutOfRangeException(nameof(unit)),
    };
}

/// <summary>The prices a set and a tier both carry besides input and output.</summary>
public interface IUnitPrices
{
    decimal? CacheReadMtok { get; }

    decimal? CacheWriteMtok { get; }

    decimal? CacheWrite1hMtok { get; }

    decimal? InputAudioMtok { get; }

    decimal? CacheAudioReadMtok { get; }

    decimal? OutputAudioMtok { get; }

    decimal? InputImageMtok { get; }

    decimal? CacheImageReadMtok { get; }

    decimal? OutputImageMtok { get; }

    decimal? InputVideoMtok { get; }

    decimal? OutputVideoMtok { get; }

    decimal? OutputReasoningMtok { get; }

    decimal? WebSearchesKcount { get; }
}

/// <summary>An earlier price set, in force before <see cref="Until"/> (exclusive, UTC).</summary>
public sealed record DatedPrices(DateOnly Until, PriceSet Prices);

/// <summary>How a provider's OpenAI-style usage reports reasoning tokens.</summary>
public enum ReasoningTokens
{
    /// <summary>Reasoning tokens are inside completion_tokens (OpenAI).</summary>
    Included,

    /// <summary>Reasoning tokens are reported beside completion_tokens and added to the output (xAI).</summary>
    Separate,
}

public sealed record ProviderInfo(
    string Id,
    string Name,
    CacheTokens CacheTokens,
    string? InputPerTokenEnv,
    string? OutputPerTokenEnv,
    PriceSet? DefaultPrices,
    string? Source,
    DateOnly? Checked)
{
    public ReasoningTokens ReasoningTokens { get; init; }

    /// <summary>Service tiers (batch, flex, priority ...) for every model of the provider; a model's entry of the same name replaces one.</summary>
    public PriceModifier[] ServiceTiers { get; init; } = [];

    /// <summary>Regions for every model of the provider; a model's entry of the same name replaces one.</summary>
    public PriceModifier[] Regions { get; init; } = [];
}

/// <summary>
/// A named change to the price set in force (a service tier, a region): either a whole price set that replaces it,
/// or a multiplier applied to every token and count price in it (per-request fees are not multiplied).
/// </summary>
public sealed record PriceModifier(string Name, decimal? Multiplier, PriceSet? Prices);

/// <summary>A time-of-day window, UTC, <see cref="From"/> inclusive and <see cref="To"/> exclusive, that may wrap midnight.</summary>
public sealed record TimeWindow(TimeOnly From, TimeOnly To, decimal? Multiplier, PriceSet? Prices)
{
    public bool Contains(TimeOnly time) => From < To ? time >= From && time < To : time >= From || time < To;
}

public sealed record ModelInfo(
    string Provider,
    string Id,
    string? Name,
    bool Active,
    PriceSet? Prices,
    DatedPrices[] History,
    decimal PerRequestUsd,
    decimal? EstimateRequestUsd,
    string[] MatchPrefixes,
    string[] MatchNames,
    string? Source,
    DateOnly? Checked,
    string? Notes)
{
    public string FullName { get; } = Provider + "/" + Id;

    /// <summary>Name endings that resolve to this model (after prefixes).</summary>
    public string[] MatchSuffixes { get; init; } = [];

    /// <summary>Substrings of a name that resolve to this model (after suffixes).</summary>
    public string[] MatchContains { get; init; } = [];

    /// <summary>Whole-name regular expressions (after contains), in file order.</summary>
    public string[] MatchRegexes { get; init; } = [];

    public PriceModifier[] ServiceTiers { get; init; } = [];

    public PriceModifier[] Regions { get; init; } = [];

    public TimeWindow[] TimeWindows { get; init; } = [];
}

/// <summary>An alias with its chain followed at build time; <see cref="Prices"/> is the nearest override in the chain.</summary>
public sealed record AliasInfo(
    string Name,
    string Target,
    string ResolvedModel,
    string[] Chain,
    PriceSet? Prices,
    string? Notes);

public sealed record InstanceInfo(
    string Vendor,
    string Region,
    string Type,
    string Size,
    string? Accelerator,
    decimal HourlyUsd);

public sealed record EndpointInfo(
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
    string? Notes);

/// <summary>
/// An alert rule from the catalogue's <c>alerts:</c>. Kind is daily_spend (ThresholdUsd, optional Team),
/// unusual_spend (Multiplier × trailing 7-day mean, optional MinUsd), expensive_model (AboveMtok),
/// fallback_pricing or idle_endpoint.
/// </summary>
public sealed record AlertRule(
    string Id,
    string Kind,
    decimal? ThresholdUsd,
    string? Team,
    decimal? Multiplier,
    decimal? MinUsd,
    decimal? AboveMtok,
    string? Notes);

/// <summary>A budget from the catalogue's <c>budgets:</c>: USD a UTC month or day (<see cref="Period"/> monthly or daily) for one scope.</summary>
public sealed record BudgetRule(string Id, string? Name, string Period, decimal AmountUsd, string ScopeDimension, string ScopeValue, decimal? WarningShare, string? Notes);

/// <summary>The whole compiled catalogue, as emitted by Catalog.Generator.</summary>
public sealed record CatalogData(
    string Version,
    string SourceFile,
    int Schema,
    long TypicalInputTokens,
    long TypicalOutputTokens,
    PriceSet Fallback,
    ProviderInfo[] Providers,
    ModelInfo[] Models,
    AliasInfo[] Aliases,
    InstanceInfo[] Instances,
    EndpointInfo[] Endpoints,
    AlertRule[] Alerts,
    FrozenDictionary<string, ProviderInfo> ProvidersById,
    FrozenDictionary<string, ModelInfo> ModelsByName,
    FrozenDictionary<string, AliasInfo> AliasesByName)
{
    /// <summary>The catalogue's budgets (<c>budgets:</c>); the API's live in the ledger.</summary>
    public BudgetRule[] Budgets { get; init; } = [];
}
