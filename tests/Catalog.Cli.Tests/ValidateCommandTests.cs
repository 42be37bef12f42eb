using Catalog.Catalogue.Parsing;

namespace Catalog.Cli.Tests;

public sealed class ValidateCommandTests
{
    [Fact]
    public void The_repository_catalogue_is_valid()
    {
        var result = Cli.Run("validate", Fixtures.PricingYaml);

        Assert.Equal(0, result.Code);
        Assert.Contains(": valid (", result.Out);
        Assert.Equal(string.Empty, result.Err);
    }

    [Fact]
    public void A_wrong_alias_target_is_reported_exactly_as_the_build_reports_it()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("pricing.yaml", Fixtures.Small.Replace("target: acme/acme-large", "target: acme/acme-lage"));

        var result = Cli.Run("validate", path);

        Assert.Equal(1, result.Code);
        var problem = Assert.Single(CatalogParser.Parse(path, File.ReadAllText(path)).Problems);
        var at = problem.Location!;
        Assert.Contains($"{path}({at.Line},{at.Column}): error PRICE007: {problem.Message}", result.Err);
        Assert.Contains("did you mean 'acme/acme-large'?", result.Err);
        Assert.Contains("1 error(s)", result.Err);
    }

    [Fact]
    public void Broken_yaml_is_PRICE001_with_its_line()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("bad.yaml", Fixtures.Small.Replace("  typical_output_tokens: 500", "   typical_output_tokens: 500"));

        var result = Cli.Run("validate", path);

        Assert.Equal(1, result.Code);
        Assert.Contains("bad.yaml(5,25): error PRICE001: the catalogue is not valid YAML", result.Err);
    }

    [Fact]
    public void A_missing_file_is_a_failure_not_a_validation_error()
    {
        var result = Cli.Run("validate", "no-such-file.yaml");

        Assert.Equal(2, result.Code);
        Assert.Contains("error: cannot read 'no-such-file.yaml': the file does not exist", result.Err);
    }

    [Fact]
    public void Unknown_commands_and_options_get_a_suggestion()
    {
        var command = Cli.Run("valdate");
        var option = Cli.Run("price", "gpt-4o", "--inptu", "5");

        Assert.Equal(2, command.Code);
        Assert.Contains("did you mean 'validate'?", command.Err);
        Assert.Equal(2, option.Code);
        Assert.Contains("did you mean --input?", option.Err);
        Assert.Contains("usage: catalog price <model>", option.Err);
    }

    [Fact]
    public void Help_lists_every_command()
    {
        var result = Cli.Run("--help");

        Assert.Equal(0, result.Code);
        foreach (var command in new[] { "validate", "diff", "price", "import litellm", "sync litellm" })
        {
            Assert.Contains("catalog " + command, result.Out);
        }
    }
}
