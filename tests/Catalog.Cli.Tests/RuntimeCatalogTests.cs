using System.Text.Json;
using Catalog.Cli.Catalogue;
using Catalog.Catalogue.Parsing;
using Catalog.Pricing;

namespace Catalog.Cli.Tests;

public sealed class RuntimeCatalogTests
{
    [Fact]
    public void The_catalogue_file_read_at_run_time_equals_the_one_compiled_into_the_engine()
    {
        var doc = CatalogParser.Parse(Fixtures.PricingYaml, File.ReadAllText(Fixtures.PricingYaml)).Catalog;

        var runtime = RuntimeCatalog.Build(doc!);

        Assert.Equal(Snapshot(BuiltInCatalog.Data), Snapshot(runtime));
    }

    [Fact]
    public void The_runtime_engine_prices_like_the_compiled_one()
    {
        var doc = CatalogParser.Parse(Fixtures.PricingYaml, File.ReadAllText(Fixtures.PricingYaml)).Catalog!;
        var runtime = RuntimeCatalog.Engine(doc);
        var compiled = BuiltInCatalog.CreateEngine(_ => null);
        var at = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
        var usage = new TokenUsage(300_000, 2_000, CacheReadTokens: 50_000, CacheWriteTokens: 10_000);

        foreach (var name in compiled.DirectNames.Select(n => n.Key).Append("unknown-model").Append("claude-sonnet-4-5-20250929"))
        {
            Assert.Equal(compiled.Price(name, null, usage, at).TotalUsd, runtime.Price(name, null, usage, at).TotalUsd);
        }
    }

    /// <summary>Everything the engine reads, as JSON; dictionaries as sorted name lists.</summary>
    private static string Snapshot(CatalogData data) => JsonSerializer.Serialize(new
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
        Providers_by_id = data.ProvidersById.Keys.Order(StringComparer.Ordinal),
        Models_by_name = data.ModelsByName.Select(n => n.Key + " = " + n.Value.FullName).Order(StringComparer.Ordinal),
        Aliases_by_name = data.AliasesByName.Keys.Order(StringComparer.Ordinal),
    });
}
