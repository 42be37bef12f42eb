using Catalog.Generator.Tests.Support;

namespace Catalog.Generator.Tests;

/// <summary>The real build, as a developer runs it with -p:PricingCatalog: a broken catalogue fails it at the line.</summary>
[Trait("Category", "Build")]
public sealed class BuildTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("catalog-build-test-").FullName;

    [Fact]
    public void Building_Catalog_Pricing_against_a_dangling_alias_fails_with_PRICE007_at_the_alias_target()
    {
        var catalogue = Path.Combine(_work, "our-prices.yaml");
        File.Copy(RepoPaths.Catalogue("Invalid/price007-dangling-alias.yaml"), catalogue);

        // --artifacts-path keeps obj/ and bin/ of both projects in the temp folder, away from the running build.
        var build = DotnetCli.Run(
            TimeSpan.FromMinutes(10),
            "build",
            Path.Combine(RepoPaths.Root, "src", "Catalog.Pricing", "Catalog.Pricing.csproj"),
            $"-p:PricingCatalog={catalogue}",
            "--artifacts-path", Path.Combine(_work, "artifacts"),
            "-nodeReuse:false",
            "-nologo");

        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains($"{catalogue}(15,13): error PRICE007: alias 'team-default' targets 'acme/acme-lareg', which is not in the catalogue; did you mean 'acme/acme-large'?", build.Output);
        Assert.DoesNotContain("error CS", build.Output);
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
