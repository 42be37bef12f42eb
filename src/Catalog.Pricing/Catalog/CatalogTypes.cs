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

/// <summary>A cliff tier: above <see cref="AboveInputTokens"/> total input tokens, every token uses these prices; null keeps the base price.</summary>
public sealed record PriceTier(
    long AboveInputTokens,
    decimal? InputMtok,
    decimal? OutputMtok,
    decimal? CacheReadMtok,
    decimal? CacheWriteMtok,
    decimal? CacheWrite1hMtok);

/// <summary>Prices in USD per million tokens. Null cache prices fall back (see <see cref="CostCalculator"/>).</summary>
public sealed record PriceSet(
    decimal InputMtok,
    decimal OutputMtok,
    decimal? CacheReadMtok,
    decimal? CacheWriteMtok,
    decimal? CacheWrite1hMtok,
    PriceTier[] Tiers);

/// <summary>An earlier price set, in force before <see cref="Until"/> (exclusive, UTC).</summary>
public sealed record DatedPrices(DateOnly Until, PriceSet Prices);

public sealed record ProviderInfo(
    string Id,
    string Name,
    CacheTokens CacheTokens,
    string? InputPerTokenEnv,
    string? OutputPerTokenEnv,
    PriceSet? DefaultPrices,
    string? Source,
    DateOnly? Checked);

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
    FrozenDictionary<string, AliasInfo> AliasesByName);
