using System.Collections.Frozen;

namespace Catalog.Pricing.Tests;

/// <summary>Small hand-made catalogues for the edge cases the real pricing.yaml does not hold.</summary>
internal static class TestCatalog
{
    public static readonly DateTimeOffset Now = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    /// <summary>No environment variable is set.</summary>
    public static readonly Func<string, string?> NoEnvironment = _ => null;

    public static PricingEngine RealEngine(params (string Name, string Value)[] environment) =>
        BuiltInCatalog.CreateEngine(Environment(environment));

    public static Func<string, string?> Environment(params (string Name, string Value)[] values) =>
        name => Array.Find(values, v => v.Name == name).Value;

    public static PriceSet Prices(decimal input, decimal output, decimal? cacheRead = null, decimal? cacheWrite = null, decimal? cacheWrite1h = null, params PriceTier[] tiers) =>
        new(input, output, cacheRead, cacheWrite, cacheWrite1h, tiers);

    public static PriceTier Tier(long above, decimal? input, decimal? output, decimal? cacheRead = null) =>
        new(above, input, output, cacheRead, null, null);

    public static ModelInfo Model(
        string provider,
        string id,
        PriceSet? prices,
        bool active = true,
        DatedPrices[]? history = null,
        decimal perRequestUsd = 0m,
        decimal? estimateRequestUsd = null,
        string[]? prefixes = null,
        string[]? names = null) =>
        new(provider, id, id, active, prices, history ?? [], perRequestUsd, estimateRequestUsd, prefixes ?? [], names ?? [], null, null, null);

    public static ProviderInfo Provider(string id, PriceSet? defaults = null, string? inputEnv = null, string? outputEnv = null) =>
        new(id, id, CacheTokens.Included, inputEnv, outputEnv, defaults, null, null);

    /// <summary>An alias as the generator emits it: the chain followed to a model, the nearest override in it.</summary>
    public static AliasInfo Alias(string name, string resolvedModel, PriceSet? prices = null, params string[] through) =>
        new(name, through.Length > 0 ? through[0] : resolvedModel, resolvedModel, [name, .. through, resolvedModel], prices, null);

    /// <summary>Builds the name tables as the generator does: full names first, then bare ids (first provider wins).</summary>
    public static CatalogData Build(ProviderInfo[] providers, ModelInfo[] models, AliasInfo[]? aliases = null, PriceSet? fallback = null)
    {
        var byName = new Dictionary<string, ModelInfo>(StringComparer.Ordinal);
        foreach (var model in models)
        {
            byName.TryAdd(model.FullName, model);
        }

        foreach (var model in models)
        {
            byName.TryAdd(model.Id, model);
        }

        aliases ??= [];
        return new CatalogData(
            "test",
            "test.yaml",
            1,
            1000,
            500,
            fallback ?? Prices(1m, 1m),
            providers,
            models,
            aliases,
            [],
            [],
            [],
            providers.ToFrozenDictionary(p => p.Id, StringComparer.Ordinal),
            byName.ToFrozenDictionary(StringComparer.Ordinal),
            aliases.ToFrozenDictionary(a => a.Name, StringComparer.Ordinal));
    }

    public static PricingEngine Engine(ProviderInfo[] providers, ModelInfo[] models, AliasInfo[]? aliases = null, Func<string, string?>? environment = null) =>
        new(Build(providers, models, aliases), environment ?? NoEnvironment);
}

/// <summary>Compares price sets by value (records compare their tier arrays by reference).</summary>
internal sealed class PriceSetComparer : IEqualityComparer<PriceSet>
{
    public static readonly PriceSetComparer Instance = new();

    public bool Equals(PriceSet? x, PriceSet? y) =>
        ReferenceEquals(x, y)
        || (x is not null && y is not null && x with { Tiers = [] } == y with { Tiers = [] } && x.Tiers.SequenceEqual(y.Tiers));

    public int GetHashCode(PriceSet obj) => obj.InputMtok.GetHashCode();
}
