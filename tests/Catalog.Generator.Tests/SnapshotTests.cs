using System.Reflection;
using System.Runtime.Loader;
using Catalog.Generator.Tests.Support;
using Catalog.Pricing;

namespace Catalog.Generator.Tests;

/// <summary>The emitted table for a small catalogue that uses every feature of the format.</summary>
public sealed class SnapshotTests
{
    private static readonly GeneratorOutcome Small = GeneratorHarness.Run(CatalogueFile.Read(RepoPaths.Catalogue("small.yaml")));

    [Fact]
    public void The_small_catalogue_generates_the_checked_in_source()
    {
        Assert.Empty(Small.Diagnostics);
        Snapshot.Match("small.g.cs.txt", Small.GeneratedSource);
    }

    [Fact]
    public void The_generated_source_compiles_against_Catalog_Pricing()
    {
        Assert.Empty(Small.CompilationErrors);
    }

    [Fact]
    public void A_catalogue_with_errors_still_compiles_so_the_build_reports_only_the_PRICE_errors()
    {
        var outcome = GeneratorHarness.Run(CatalogueFile.Read(RepoPaths.Catalogue("Invalid/price007-dangling-alias.yaml")));

        Assert.Equal("PRICE007", Assert.Single(outcome.Diagnostics).Id);
        Assert.Contains("no table was compiled", outcome.GeneratedSource);
        Assert.Empty(outcome.CompilationErrors);
    }

    [Fact]
    public void The_generated_table_loads_and_holds_the_catalogue()
    {
        var data = LoadCompiledCatalog(Small);

        Assert.Equal(["acme/acme-large", "acme/acme-old", "hosted/open/model-7b"], data.Models.Select(m => m.FullName));
        Assert.Same(data.ModelsByName["acme/acme-large"], data.ModelsByName["acme-large"]);
        Assert.Equal("hosted/open/model-7b", data.ModelsByName["open/model-7b"].FullName);
        Assert.Equal(["team-chat", "team-default", "acme/acme-large"], data.AliasesByName["team-chat"].Chain);
        Assert.Equal(2.7m, data.AliasesByName["team-chat"].Prices!.InputMtok);
        Assert.Equal(0.8m, data.Endpoints.Single(e => e.Id == "phi-endpoint").HourlyUsd);
        Assert.Equal("Quoted \"notes\" survive escaping.", data.ModelsByName["acme-large"].Notes);
    }

    internal static CatalogData LoadCompiledCatalog(GeneratorOutcome outcome)
    {
        using var image = new MemoryStream();
        var emitted = outcome.Output.Emit(image);
        Assert.True(emitted.Success, string.Join(Environment.NewLine, emitted.Diagnostics));
        image.Position = 0;

        // The test's own load context resolves Catalog.Pricing to the assembly already loaded, so the types match.
        var assembly = new AssemblyLoadContext("generated-catalog", isCollectible: true).LoadFromStream(image);
        var compiled = assembly.GetType("Catalog.Pricing.CompiledCatalog", throwOnError: true)!;
        return (CatalogData)compiled.GetProperty("Data", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
    }
}
