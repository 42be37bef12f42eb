using Catalog.Catalogue.Parsing;
using Catalog.Generator.Tests.Support;

namespace Catalog.Generator.Tests;

/// <summary>The repository's own catalogue, through the one parser the build uses.</summary>
public sealed class PricingYamlTests
{
    private static readonly Catalogue.Model.ParseResult Result = CatalogParser.Parse(RepoPaths.PricingYaml, File.ReadAllText(RepoPaths.PricingYaml));

    [Fact]
    public void The_repository_catalogue_has_no_problems()
    {
        Assert.Empty(Result.Problems.Select(p => $"{p.Location}: {p.Id}: {p.Message}"));
    }

    [Fact]
    public void The_repository_catalogue_prices_at_least_60_models()
    {
        Assert.InRange(Result.Catalog!.Providers.Sum(p => p.Models.Count), 60, int.MaxValue);
    }

    [Fact]
    public void Every_model_says_where_its_price_came_from_and_when_it_was_checked()
    {
        Assert.All(Result.Catalog!.Providers.SelectMany(p => p.Models), model =>
        {
            Assert.False(string.IsNullOrWhiteSpace(model.Source), $"{model.FullName} has no source");
            Assert.False(string.IsNullOrWhiteSpace(model.Checked), $"{model.FullName} has no checked date");
        });
    }
}
