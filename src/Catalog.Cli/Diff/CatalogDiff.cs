using System.Globalization;
using Catalog.Cli.Catalogue;
using Catalog.Catalogue.Model;
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

/// <summary>A removed and an added entry that are the same but for a similar name: probably a rename.</summary>
internal sealed record Renamed<T>(T Old, T New);

internal sealed record RetargetedAlias(string Name, string OldTarget, string NewTarget);

/// <summary>What changed between two catalogues: models and aliases added, removed or renamed, and every price.</summary>
internal sealed class CatalogDiff
{
    public List<ModelDoc> AddedModels { get; } = [];

    public List<ModelDoc> RemovedModels { get; } = [];

    /// <summary>A removed and an added model of one provider with identical prices and similar ids: probably a rename.</summary>
    public List<Renamed<ModelDoc>> RenamedModels { get; } = [];

    public List<AliasDoc> AddedAliases { get; } = [];

    public List<AliasDoc> RemovedAliases { get; } = [];

    public List<Renamed<AliasDoc>> RenamedAliases { get; } = [];

    public List<RetargetedAlias> RetargetedAliases { get; } = [];

    public List<PriceChange> PriceChanges { get; } = [];

    public bool IsEmpty =>
        AddedModels.Count + RemovedModels.Count + RenamedModels.Count + AddedAliases.Count + RemovedAliases.Count + RenamedAliases.Count + RetargetedAliases.Count + PriceChanges.Count == 0;

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
        diff.RenamedModels.AddRange(Renames(diff.RemovedModels, diff.AddedModels, (a, b) => a.Provider == b.Provider && Equals(a.Prices, b.Prices), m => m.Id));

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
        diff.RenamedAliases.AddRange(Renames(diff.RemovedAliases, diff.AddedAliases, (a, b) => a.Target == b.Target && Equals(a.Prices, b.Prices), a => a.Name));
        return diff;
    }

    /// <summary>Pairs a removed entry with an added one that is the same but for a similar name: reported as a rename.</summary>
    private static List<Renamed<T>> Renames<T>(List<T> removed, List<T> added, Func<T, T, bool> same, Func<T, string> name)
    {
        var renames = new List<Renamed<T>>();
        foreach (var before in removed.ToList())
        {
            var candidates = added.Where(a => same(before, a)).ToList();
            var nearest = NameSuggestions.Nearest(name(before), candidates.Select(name));
            if (nearest is not null)
            {
                var after = candidates.First(a => name(a) == nearest);
                renames.Add(new Renamed<T>(before, after));
                removed.Remove(before);
                added.Remove(after);
            }
        }

        return renames;
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
