namespace Catalog.Cli.Tests;

public sealed class ExportCommandTests
{
    [Fact]
    public void Writes_every_model_and_alias_with_every_price_its_source_and_checked_date()
    {
        var result = Cli.Run("export", "--format", "csv", "--file", Fixtures.PricingYaml);

        Assert.True(result.Code == 0, result.Err);
        var lines = result.Out.Split("\r\n");
        Assert.Equal("kind,name,provider,id,display_name,active,resolves_to,input_mtok,output_mtok,cache_read_mtok,cache_write_mtok,cache_write_1h_mtok,tiers,per_request_usd,prices_from,source,checked,notes,catalog_version", lines[0]);
        Assert.Equal(string.Empty, lines[^1]);
        Assert.Contains(lines, l => l.StartsWith(
            "model,anthropic/claude-sonnet-4-5,anthropic,claude-sonnet-4-5,Claude Sonnet 4.5,true,,3,15,0.3,3.75,6,"
            + "\"[{\"\"above_input_tokens\"\":200000,\"\"input_mtok\"\":6,\"\"output_mtok\"\":22.5,\"\"cache_read_mtok\"\":0.6,\"\"cache_write_mtok\"\":7.5,\"\"cache_write_1h_mtok\"\":12}]\","
            + "0,model,https://www.anthropic.com/pricing,2026-11-20,,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("alias,my-chatbot,anthropic,,,true,anthropic/claude-sonnet-4-5,2.7,13.5,", StringComparison.Ordinal) && l.Contains(",alias,https://www.anthropic.com/pricing,2026-11-20,support bot (seed 002),", StringComparison.Ordinal));
        var models = lines.Count(l => l.StartsWith("model,", StringComparison.Ordinal));
        var aliases = lines.Count(l => l.StartsWith("alias,", StringComparison.Ordinal));
        Assert.Equal(lines.Length - 2, models + aliases);
        Assert.True(models > 50 && aliases > 0);
    }

    [Fact]
    public void A_cell_a_spreadsheet_would_run_as_a_formula_is_quoted_out()
    {
        var file = Path.Combine(Path.GetTempPath(), $"pricing-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, File.ReadAllText(Fixtures.PricingYaml).Replace("notes: support bot (seed 002)", "notes: \"=HYPERLINK(\\\"http://x\\\")\"", StringComparison.Ordinal));
        try
        {
            var result = Cli.Run("export", "--format", "csv", "--file", file);

            Assert.True(result.Code == 0, result.Err);
            Assert.Contains(",\"'=HYPERLINK(\"\"http://x\"\")\",", result.Out);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Writes_to_a_file_when_asked()
    {
        var output = Path.Combine(Path.GetTempPath(), $"models-{Guid.NewGuid():N}.csv");
        try
        {
            var result = Cli.Run("export", "--format", "csv", "--file", Fixtures.PricingYaml, "--output", output);

            Assert.True(result.Code == 0, result.Err);
            Assert.Equal(Cli.Run("export", "--format", "csv", "--file", Fixtures.PricingYaml).Out, File.ReadAllText(output));
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Theory]
    [InlineData("export")]
    [InlineData("export", "--format", "json")]
    public void Another_format_is_a_usage_error(params string[] args)
    {
        var result = Cli.Run(args);

        Assert.Equal(2, result.Code);
        Assert.Contains("the one format is csv", result.Err);
    }
}
