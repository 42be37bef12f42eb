using Catalog.Cli.Catalogue;
using Catalog.Catalogue.Parsing;
using Catalog.Pricing;

namespace Catalog.Cli.Tests;

/// <summary>The tools' engine over a catalogue file (the table itself is tested once, in Catalog.Generator.Tests' CatalogCodecTests).</summary>
public sealed class RuntimeCatalogTests
{
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
}
