using Catalog.Cli.Catalogue;
using Catalog.Pricing;

namespace Catalog.Cli.Crosscheck;

/// <summary>
/// The catalogue beside other price catalogues: every price a model shares with a source and the difference,
/// the models a source has that the catalogue lacks, and the catalogue's models no source knows.
/// </summary>
internal sealed class CrosscheckReport
{
    public List<PriceDisagreement> Shared { get; } = [];

    /// <summary>By source, then catalogue provider: names the source prices and the catalogue does not resolve.</summary>
    public Dictionary<string, SortedDictionary<string, List<string>>> Missing { get; } = [];

    /// <summary>Catalogue models (full names) that no source knows.</summary>
    public List<string> Unknown { get; } = [];

    public int ModelCount { get; private set; }

    public static CrosscheckReport Build(PricingEngine engine, IReadOnlyList<PriceSource> sources)
    {
        var report = new CrosscheckReport { ModelCount = engine.Data.Models.Length };
        foreach (var model in engine.Data.Models)
        {
            var known = false;
            foreach (var source in sources)
            {
                if (source.Find(model) is not { } price)
                {
                    continue;
                }

                known = true;
                var label = model.FullName + (price.Key == model.Id ? string.Empty : $" ({price.Key})");
                report.Shared.AddRange(PriceComparison.Differences(label, source.Name, engine.PricesOf(model), model.PerRequestUsd, price.Prices, price.PerRequestUsd)
                    .Where(d => d.Ours is not null && d.Theirs is not null));
            }

            if (!known)
            {
                report.Unknown.Add(model.FullName);
            }
        }

        foreach (var source in sources)
        {
            var missing = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var (provider, name) in source.Models())
            {
                var resolution = engine.Resolve(name, provider);
                if (resolution.Source.IsGuess() || resolution.Model?.Provider != provider)
                {
                    if (!missing.TryGetValue(provider, out var names))
                    {
                        missing[provider] = names = [];
                    }

                    names.Add(name);
                }
            }

            report.Missing[source.Name] = missing;
        }

        return report;
    }

    /// <summary>The largest difference in percent, in absolute value (a price where ours is 0 and theirs is not counts as infinite).</summary>
    public IEnumerable<PriceDisagreement> Over(decimal percent) =>
        Shared.Where(d => d.ChangePercent is { } change ? Math.Abs(change) > percent : d.Ours != d.Theirs);
}
