using System.Globalization;
using Catalog.Cli.Catalogue;
using Catalog.Generator.Model;
using Catalog.Pricing;

namespace Catalog.Cli.Diff;

/// <summary>One price that differs between two catalogues; a null side means the field is not set there.</summary>
internal sealed record PriceChange(string Entry, string Field, decimal? Old, decimal? New)
{
    /// <summary>Changes above this share of the old price are flagged for a reviewer.</summary>
    public const decimal FlagAbove = 0.5m;

    public decimal? Percent => Old is { } old && New is { } now && old != 0m ? Math.Round((now - old) / old * 100m, 1) : null;

    public bool Flagged => Old is { } old && New is { } now && (old == 0m ? now != 0m : Math.Abs((now - old) / old) > FlagAbove);

    public string Change => (Old, New, Percent) switch
    {
        (null, _, _) => "added",
        (_, null, _) => "removed",
        (_, _, { } percent) => (percent > 0 ? "+" : string.Empty) + percent.ToString("0.#", CultureInfo.InvariantCulture) + "%",
        _ => "from 0",
    };
}

internal sealed record RenamedModel(ModelDoc Old, ModelDoc New);

internal sealed record RetargetedAlias(string Name, string OldTarget, string NewTarget);

/// <summary>What changed between two catalogues: models and aliases added, removed or renamed, and every price.</summary>
internal sealed class CatalogDiff
{
    public List<ModelDoc> AddedModels { get; } = [];

    public List<ModelDoc> RemovedModels { get; } = [];

    /// <summary>A removed and an added model of one provider with identical prices and similar ids: probably a rename.</summary>
    public List<RenamedModel> RenamedModels { get; } = [];

    public List<AliasDoc> AddedAliases { get; } = [];

    public List<AliasDoc> RemovedAliases { get; } = [];

    public List<RetargetedAlias> RetargetedAliases { get; } = [];

    public List<PriceChange> PriceChanges { get; } = [];

    public bool IsEmpty =>
        AddedModels.Count + RemovedModels.Count + RenamedModels.Count + AddedAliases.Count + RemovedAliases.Count + RetargetedAliases.Count + PriceChanges.Count == 0;

    public static CatalogDiff Compare(CatalogDoc old, CatalogDoc now)
    {
        var diff = new CatalogDiff();
        Prices(diff, "fallback", old.Fallback, now.Fallback);
        var oldProviders = old.Providers.ToDictionary(p => p.Id, StringComparer.Ordinal);
        foreach (var provider in now.Providers)
        {
            if (oldProviders.TryGetValue(provider.Id, out var before))
            {
                Prices(diff, $"{provider.Id} (default_prices)", before.DefaultPrices, provider.DefaultPrices);
            }
        }

        var oldModels = old.Providers.SelectMany(p => p.Models).ToDictionary(m => m.FullName, StringComparer.Ordinal);
        var newModels = now.Providers.SelectMany(p => p.Models).ToDictionary(m => m.FullName, StringComparer.Ordinal);
        foreach (var model in newModels.Values)
        {
            if (!oldModels.TryGetValue(model.FullName, out var before))
            {
                diff.AddedModels.Add(model);
                continue;
            }

            Prices(diff, model.FullName, before.Prices, model.Prices);
            Price(diff, model.FullName, "per_request_usd", before.PerRequestUsd, model.PerRequestUsd);
            Price(diff, model.FullName, "estimate_request_usd", before.EstimateRequestUsd, model.EstimateRequestUsd);
        }

        diff.RemovedModels.AddRange(oldModels.Values.Where(m => !newModels.ContainsKey(m.FullName)));
        FindRenames(diff);

        var oldAliases = old.Aliases.ToDictionary(a => a.Alias.Name, StringComparer.Ordinal);
        var newAliases = now.Aliases.ToDictionary(a => a.Alias.Name, StringComparer.Ordinal);
        foreach (var alias in newAliases.Values)
        {
            if (!oldAliases.TryGetValue(alias.Alias.Name, out var before))
            {
                diff.AddedAliases.Add(alias.Alias);
                continue;
            }

            if (before.ResolvedModel != alias.ResolvedModel)
            {
                diff.RetargetedAliases.Add(new RetargetedAlias(alias.Alias.Name, before.ResolvedModel, alias.ResolvedModel));
            }

            Prices(diff, $"alias {alias.Alias.Name}", before.Alias.Prices, alias.Alias.Prices);
        }

        diff.RemovedAliases.AddRange(oldAliases.Values.Where(a => !newAliases.ContainsKey(a.Alias.Name)).Select(a => a.Alias));
        return diff;
    }

    private static void FindRenames(CatalogDiff diff)
    {
        foreach (var removed in diff.RemovedModels.ToList())
        {
            var candidates = diff.AddedModels.Where(m => m.Provider == removed.Provider && Equals(m.Prices, removed.Prices)).ToList();
            var nearest = NameSuggestions.Nearest(removed.Id, candidates.Select(m => m.Id));
            if (nearest is not null)
            {
                var added = candidates.First(m => m.Id == nearest);
                diff.RenamedModels.Add(new RenamedModel(removed, added));
                diff.RemovedModels.Remove(removed);
                diff.AddedModels.Remove(added);
            }
        }
    }

    private static void Prices(CatalogDiff diff, string entry, PriceBlock? old, PriceBlock? now)
    {
        var before = Flatten(old);
        var after = Flatten(now);
        foreach (var field in after.Keys.Concat(before.Keys).Distinct())
        {
            Price(diff, entry, field, before.GetValueOrDefault(field), after.GetValueOrDefault(field));
        }
    }

    private static void Price(CatalogDiff diff, string entry, string field, decimal? old, decimal? now)
    {
        if (old != now)
        {
            diff.PriceChanges.Add(new PriceChange(entry, field, old, now));
        }
    }

    /// <summary>Every price of a block by field name; tier fields read <c>tier &gt;200000 input_mtok</c>.</summary>
    private static Dictionary<string, decimal?> Flatten(PriceBlock? prices)
    {
        var fields = new Dictionary<string, decimal?>(StringComparer.Ordinal);
        if (prices is null)
        {
            return fields;
        }

        foreach (var (key, value) in YamlText.Fields(prices))
        {
            fields[key] = value;
        }

        foreach (var tier in prices.Tiers)
        {
            foreach (var (key, value) in YamlText.Fields(tier.Prices))
            {
                fields[$"tier >{tier.AboveInputTokens.ToString(CultureInfo.InvariantCulture)} {key}"] = value;
            }
        }

        return fields;
    }
}
