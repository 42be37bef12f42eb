using System.Globalization;
using Catalog.Catalogue.Model;
using Catalog.Pricing;

namespace Catalog.Cli.Catalogue;

/// <summary>One price the catalogue states differently from a source: reported, never applied.</summary>
internal sealed record PriceDisagreement(string Model, string SourceName, string Field, decimal? Ours, decimal? Theirs)
{
    /// <summary>Their price relative to ours, in percent; null when one side has no such price.</summary>
    public decimal? ChangePercent => Ours is { } ours && Theirs is { } theirs
        ? ours == 0m ? (theirs == 0m ? 0m : null) : Math.Round((theirs - ours) / ours * 100m, 1)
        : null;
}

/// <summary>The catalogue's prices of a model beside a source's, field by field (tiers by threshold).</summary>
internal static class PriceComparison
{
    /// <summary>Every price field either side states; equal ones included.</summary>
    public static IEnumerable<PriceDisagreement> Differences(string model, string source, PriceSet? ours, decimal oursPerRequest, PriceBlock theirs, decimal theirsPerRequest)
    {
        if (ours is null)
        {
            yield break;
        }

        foreach (var difference in Fields(model, source, string.Empty, Values(ours), Values(theirs)))
        {
            yield return difference;
        }

        foreach (var tier in theirs.Tiers)
        {
            var mine = ours.Tiers.FirstOrDefault(t => t.AboveInputTokens == tier.AboveInputTokens);
            var suffix = " above " + tier.AboveInputTokens.ToString(CultureInfo.InvariantCulture);
            var tierValues = Values(tier.Prices);
            var mineValues = mine is null ? new decimal?[tierValues.Length] : [mine.InputMtok, mine.OutputMtok, mine.CacheReadMtok, mine.CacheWriteMtok, mine.CacheWrite1hMtok];
            foreach (var difference in Fields(model, source, suffix, mineValues, tierValues).Where(d => d.Theirs is not null))
            {
                yield return difference;
            }
        }

        if (oursPerRequest != 0m || theirsPerRequest != 0m)
        {
            yield return new PriceDisagreement(model, source, "per_request_usd", oursPerRequest, theirsPerRequest);
        }
    }

    private static IEnumerable<PriceDisagreement> Fields(string model, string source, string suffix, decimal?[] ours, decimal?[] theirs)
    {
        for (var i = 0; i < theirs.Length; i++)
        {
            if (ours[i] is not null || theirs[i] is not null)
            {
                yield return new PriceDisagreement(model, source, YamlTextFields[i] + suffix, ours[i], theirs[i]);
            }
        }
    }

    private static readonly string[] YamlTextFields = Catalog.Catalogue.Parsing.CatalogKeys.PriceFields;

    private static decimal?[] Values(PriceSet prices) => [prices.InputMtok, prices.OutputMtok, prices.CacheReadMtok, prices.CacheWriteMtok, prices.CacheWrite1hMtok];

    private static decimal?[] Values(PriceBlock prices) => [prices.InputMtok, prices.OutputMtok, prices.CacheReadMtok, prices.CacheWriteMtok, prices.CacheWrite1hMtok];
}
