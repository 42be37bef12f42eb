using System.Text.Json;
using System.Text.Json.Serialization;
using Catalog.Pricing;

namespace Catalog.Ledger;

public enum CallStatus
{
    Success,
    Error,
}

/// <summary>One priced LLM call as the ledger keeps it: what the gateway sent, and how it was priced.</summary>
/// <param name="Id">The caller's request id: the idempotency key.</param>
/// <param name="Model">The model name as the caller sent it.</param>
/// <param name="Provider">The provider as the caller sent it (null when not sent).</param>
/// <param name="Usage">Canonical token counts (input includes cache reads and writes).</param>
/// <param name="UsageShape">The shape the usage was sent in: canonical, openai, anthropic, google or none.</param>
/// <param name="SentUsage">The usage object exactly as it was sent, or null.</param>
/// <param name="Pricing">How the call was priced.</param>
/// <param name="Original">The first pricing, kept when a recalculation replaced it.</param>
/// <param name="Fingerprint">A hash of the request as sent: the same id with a different body is a conflict.</param>
/// <param name="ReportedCostUsd">What the gateway said the call cost (LiteLLM's response_cost), kept beside our price to compare; null when not sent.</param>
public sealed record UsageRecord(
    string Id,
    DateTimeOffset Timestamp,
    string Model,
    string? Provider,
    UsageCounts Usage,
    string UsageShape,
    JsonElement? SentUsage,
    CallStatus Status,
    long? LatencyMs,
    string? User,
    string? Team,
    string? App,
    string? Endpoint,
    IReadOnlyDictionary<string, string> Tags,
    UsagePricing Pricing,
    OriginalPricing? Original,
    DateTimeOffset ReceivedAt,
    [property: JsonIgnore] string Fingerprint,
    decimal? ReportedCostUsd = null)
{
    /// <summary>The model the spend is counted against: the catalogue model, or the sent name when none resolved.</summary>
    [JsonIgnore]
    public string CountedModel => Pricing.ResolvedModel ?? Model;

    /// <summary>
    /// Computes the fingerprint of the body with its fields in the order sent (not stored): records stored before fingerprints
    /// were canonical are matched by it. Only a stored call with the same id needs it, so it is computed then, not for every
    /// call; it reads the request's body, so it is called only while the request that sent the call is being answered.
    /// </summary>
    [JsonIgnore]
    public Func<string>? SentOrderFingerprint { get; init; }

    /// <summary>True when <paramref name="sent"/> is this call sent again: the same id is a duplicate when this holds, a conflict when not.</summary>
    public bool HasBodyOf(UsageRecord sent) => Fingerprint == sent.Fingerprint || (sent.SentOrderFingerprint is { } sentOrder && Fingerprint == sentOrder());

    /// <summary>The service tier the call was served in (batch, flex, priority ...), as sent; null when none was sent.</summary>
    public string? ServiceTier { get; init; }

    /// <summary>The region the call was served in (data residency), as sent; null when none was sent.</summary>
    public string? Region { get; init; }

    /// <summary>The id of the API key the call was recorded with (never the key itself); null for calls recorded before keys were kept, or without a key.</summary>
    public string? KeyId { get; init; }

    /// <summary>Numbers in the usage its shape does not price: charged nothing, kept to be seen.</summary>
    public IReadOnlyList<UnpricedField> Unpriced { get; init; } = [];

    [JsonIgnore]
    public TokenUsage TokenUsage => Usage.ToTokenUsage();
}

/// <summary>How a call was priced: the resolution, where the token counts came from, the cost and the catalogue version.</summary>
public sealed record UsagePricing(
    string? ResolvedModel,
    string? Provider,
    PricingSource PricingSource,
    TokenSource TokenSource,
    UsageCost Cost,
    string CatalogVersion)
{
    /// <summary>True when both price the call the same way (the catalogue version aside).</summary>
    public bool SamePriceAs(UsagePricing other) =>
        ResolvedModel == other.ResolvedModel && Provider == other.Provider && PricingSource == other.PricingSource
        && TokenSource == other.TokenSource && Cost == other.Cost;
}

/// <summary>The cost of one call in exact decimal USD; <see cref="TotalUsd"/> = input + output + cache read + cache write + request + tools.</summary>
public sealed record UsageCost(
    decimal InputUsd,
    decimal OutputUsd,
    decimal CacheReadUsd,
    decimal CacheWriteUsd,
    decimal RequestUsd,
    decimal TotalUsd,
    long? Tier,
    decimal ToolsUsd = 0)
{
    /// <summary>A call counted at zero.</summary>
    public static readonly UsageCost Zero = new(0, 0, 0, 0, 0, 0, null);

    public static UsageCost From(in CostBreakdown cost) =>
        new(cost.InputUsd, cost.OutputUsd, cost.CacheReadUsd, cost.CacheWriteUsd, cost.RequestUsd, cost.TotalUsd, cost.Tier, cost.ToolsUsd);
}

/// <summary>The pricing a recalculation replaced, and when.</summary>
public sealed record OriginalPricing(UsagePricing Pricing, DateTimeOffset ReplacedAt);
