using System.Text.Json;
using Catalog.Catalogue.Model;
using Catalog.Catalogue.Parsing;
using Catalog.Generator.Tests.Support;
using Catalog.Pricing;

namespace Catalog.Generator.Tests;

/// <summary>The encoded catalogue the generator emits, and the one mapping that turns it into the engine's table.</summary>
public sealed class CatalogCodecTests
{
    public static TheoryData<string> Catalogues => new()
    {
        RepoPaths.Catalogue("small.yaml"),
        RepoPaths.Catalogue("schema2.yaml"),
        RepoPaths.PricingYaml,
    };

    [Theory]
    [MemberData(nameof(Catalogues))]
    public void Decoding_gives_back_the_catalogue_that_was_encoded(string path)
    {
        var doc = Parse(path);

        var bytes = CatalogCodec.Encode(doc);
        var decoded = CatalogCodec.Decode(bytes);

        Assert.Equal(bytes, CatalogCodec.Encode(decoded));
        Assert.Equal(Snapshot(CatalogMapping.FromDoc(doc)), Snapshot(CatalogMapping.FromDoc(decoded)));
    }

    [Fact]
    public void The_table_compiled_into_Catalog_Pricing_is_pricing_yaml_through_the_mapping()
    {
        Assert.Equal(Snapshot(CatalogMapping.FromDoc(Parse(RepoPaths.PricingYaml))), Snapshot(BuiltInCatalog.Data));
    }

    [Fact]
    public void Prices_keep_their_scale_and_strings_their_characters()
    {
        var doc = Parse(RepoPaths.Catalogue("small.yaml"));
        var model = doc.Providers[0].Models[0];
        var changed = doc with
        {
            Providers = new([doc.Providers[0] with { Models = new([model with { Notes = "naïve — 价格 \"quoted\"", PerRequestUsd = 2.50m }]) }]),
        };

        var decoded = CatalogCodec.Decode(CatalogCodec.Encode(changed)).Providers[0].Models[0];

        Assert.Equal("naïve — 价格 \"quoted\"", decoded.Notes);
        Assert.Equal("2.50", decoded.PerRequestUsd.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Bytes_of_another_format_are_refused_with_the_reason()
    {
        var bytes = CatalogCodec.Encode(Parse(RepoPaths.Catalogue("small.yaml")));
        var otherVersion = bytes.ToArray();
        otherVersion[4] = CatalogCodec.FormatVersion + 1;

        Assert.Contains("rebuild", Assert.Throws<InvalidDataException>(() => CatalogCodec.Decode(otherVersion)).Message);
        Assert.Throws<InvalidDataException>(() => CatalogCodec.Decode("not a catalogue"u8.ToArray()));
        Assert.Throws<InvalidDataException>(() => CatalogCodec.Decode([.. bytes, 0]));
    }

    [Fact]
    public void The_mapping_carries_every_part_of_the_catalogue_into_the_table()
    {
        var data = CatalogMapping.FromDoc(Parse(RepoPaths.Catalogue("schema2.yaml")));
        var small = CatalogMapping.FromDoc(Parse(RepoPaths.Catalogue("small.yaml")));

        Assert.NotEmpty(small.Alerts);
        Assert.Equal(
            [new BudgetRule("research-monthly", "Research, monthly", "monthly", 500m, "team", "research", 0.75m, null), new BudgetRule("phi-daily", null, "daily", 25m, "endpoint", "phi-endpoint", null, null)],
            small.Budgets);
        Assert.NotEmpty(small.Endpoints);
        Assert.NotEmpty(small.Instances);
        Assert.NotEmpty(small.Aliases);
        Assert.Contains(small.Models, m => m.History.Length > 0);
        Assert.Contains(small.Models, m => m.MatchPrefixes.Length > 0);
        Assert.Contains(data.Models, m => m.Prices is { } p && p.PricesMoreThanText);
        Assert.Contains(data.Providers.Concat<object>(data.Models), x => x is ProviderInfo { ServiceTiers.Length: > 0 } or ModelInfo { ServiceTiers.Length: > 0 });
        Assert.Contains(data.Providers.Concat<object>(data.Models), x => x is ProviderInfo { Regions.Length: > 0 } or ModelInfo { Regions.Length: > 0 });
        Assert.Contains(data.Models, m => m.TimeWindows.Length > 0);
        Assert.Equal(small.Models.Length, small.ModelsByName.Values.Distinct().Count());
    }

    private static CatalogDoc Parse(string path)
    {
        var result = CatalogParser.Parse(path, File.ReadAllText(path));
        Assert.False(result.HasErrors, string.Join(Environment.NewLine, result.Problems));
        return result.Catalog!;
    }

    /// <summary>Everything the engine reads, as JSON; dictionaries as sorted name lists.</summary>
    internal static string Snapshot(CatalogData data) => JsonSerializer.Serialize(new
    {
        data.Version,
        data.SourceFile,
        data.Schema,
        data.TypicalInputTokens,
        data.TypicalOutputTokens,
        data.Fallback,
        data.Providers,
        data.Models,
        data.Aliases,
        data.Instances,
        data.Endpoints,
        data.Alerts,
        data.Budgets,
        Providers_by_id = data.ProvidersById.Keys.Order(StringComparer.Ordinal),
        Models_by_name = data.ModelsByName.Select(n => n.Key + " = " + n.Value.FullName).Order(StringComparer.Ordinal),
        Aliases_by_name = data.AliasesByName.Keys.Order(StringComparer.Ordinal),
    });
}
