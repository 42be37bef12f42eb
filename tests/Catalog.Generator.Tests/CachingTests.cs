using Catalog.Generator.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Catalog.Generator.Tests;

/// <summary>
/// The pipeline caches: only a change to the catalogue itself parses it again. "Cached" is required, not
/// "Unchanged": Unchanged would mean the parse ran again and happened to produce an equal result.
/// </summary>
public sealed class CachingTests
{
    private readonly CatalogueFile _catalogue = CatalogueFile.Read(RepoPaths.Catalogue("small.yaml"));
    private readonly CSharpCompilation _compilation = GeneratorHarness.Compilation("namespace App; public class Unrelated { }");

    [Fact]
    public void Adding_an_unrelated_cs_file_does_not_parse_the_catalogue_again()
    {
        var driver = GeneratorHarness.Driver(_catalogue).RunGenerators(_compilation);

        driver = driver.RunGenerators(_compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace App; public class Added { }")));

        AssertRun(driver, parse: IncrementalStepRunReason.Cached, sourceOutput: IncrementalStepRunReason.Cached);
    }

    [Fact]
    public void Editing_an_unrelated_cs_file_does_not_parse_the_catalogue_again()
    {
        var driver = GeneratorHarness.Driver(_catalogue).RunGenerators(_compilation);
        var tree = _compilation.SyntaxTrees.Single();
        var edited = tree.WithChangedText(SourceText.From("namespace App; public class Unrelated { public int Changed; }"));

        driver = driver.RunGenerators(_compilation.ReplaceSyntaxTree(tree, edited));

        AssertRun(driver, parse: IncrementalStepRunReason.Cached, sourceOutput: IncrementalStepRunReason.Cached);
    }

    [Fact]
    public void Editing_the_catalogue_parses_it_again_and_emits_the_new_price()
    {
        var driver = GeneratorHarness.Driver(_catalogue).RunGenerators(_compilation);
        var edited = _catalogue.WithText(_catalogue.Text!.Replace("output_mtok: 15", "output_mtok: 16"));

        driver = driver.ReplaceAdditionalText(_catalogue, edited).RunGenerators(_compilation);

        AssertRun(driver, parse: IncrementalStepRunReason.Modified, sourceOutput: IncrementalStepRunReason.Modified);
        var emitted = GeneratorHarness.EncodedCatalogue(driver.GetRunResult().GeneratedTrees.Single().ToString());
        Assert.Equal(16m, emitted.Providers.SelectMany(p => p.Models).Single(m => m.Id == "acme-large").Prices!.OutputMtok);
    }

    private static void AssertRun(GeneratorDriver driver, IncrementalStepRunReason parse, IncrementalStepRunReason sourceOutput)
    {
        var result = driver.GetRunResult().Results.Single();
        AssertReasons(result.TrackedSteps[PricingCatalogGenerator.ParseStepName], parse);
        AssertReasons(result.TrackedOutputSteps.Values.SelectMany(steps => steps), sourceOutput);
    }

    private static void AssertReasons(IEnumerable<IncrementalGeneratorRunStep> steps, IncrementalStepRunReason expected)
    {
        var reasons = steps.SelectMany(step => step.Outputs).Select(output => output.Reason).ToList();
        Assert.NotEmpty(reasons);
        Assert.All(reasons, reason => Assert.Equal(expected, reason));
    }
}
