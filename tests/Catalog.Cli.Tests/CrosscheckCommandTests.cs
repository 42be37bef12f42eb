namespace Catalog.Cli.Tests;

public sealed class CrosscheckCommandTests
{
    /// <summary>The import tests' catalogue, plus a model no source knows.</summary>
    private static readonly string Catalogue = GenAiPricesImportTests.Catalogue.Replace(
        "    models: []\n\n  - id: google",
        "    models:\n      - id: gpt-in-house\n        source: https://example.invalid/pricing\n        checked: 2026-11-20\n        prices: { input_mtok: 1, output_mtok: 2 }\n\n  - id: google",
        StringComparison.Ordinal);

    private const string LiteLlmMap = """
        {
          "claude-sonnet-4-5": { "litellm_provider": "anthropic", "mode": "chat", "input_cost_per_token": 3.3e-06, "output_cost_per_token": 1.5e-05 },
          "claude-opus-4-1": { "litellm_provider": "anthropic", "mode": "chat", "input_cost_per_token": 1.5e-05, "output_cost_per_token": 7.5e-05 },
          "text-embedding-3-small": { "litellm_provider": "openai", "mode": "embedding", "input_cost_per_token": 2e-08 }
        }
        """;

    [Fact]
    public void Lists_each_shared_price_with_its_difference_what_a_source_has_and_what_no_source_knows()
    {
        using var dir = new TempDirectory();
        var (catalogue, litellm) = Files(dir);

        var result = Cli.Run("crosscheck", "--against", "litellm=" + litellm, "--against", "genai-prices=" + GenAiPricesImportTests.Data, "--catalogue", catalogue);

        Assert.True(result.Code == 0, result.Err);
        Assert.Contains("Prices shared with a source (4 in 2 models, 3 differ; largest difference first)", result.Out);
        Assert.Matches(@"anthropic/claude-sonnet-4-5\s+litellm\s+input_mtok\s+3\s+3\.3\s+\+10%", result.Out);
        Assert.Matches(@"anthropic/claude-sonnet-4-5\s+genai-prices\s+output_mtok\s+16\s+15\s+-6\.2%", result.Out);
        Assert.Matches(@"anthropic/claude-sonnet-4-5\s+genai-prices\s+input_mtok\s+3\s+3\s+0%", result.Out);
        Assert.Contains("Models litellm has that the catalogue lacks (1, by provider)", result.Out);
        Assert.Matches(@"anthropic\s+1\s+claude-opus-4-1", result.Out);
        Assert.Matches(@"bedrock\s+2\s+amazon\.nova-lite-v1:0, regional\.anthropic\.claude-sonnet-4-5-20250929-v1:0", result.Out);
        Assert.Contains("Models no source knows (1)", result.Out);
        Assert.Matches(@"openai\s+1\s+gpt-in-house", result.Out);
    }

    [Theory]
    [InlineData("5", 1)]
    [InlineData("10", 0)]
    public void Fail_over_sets_the_exit_code(string percent, int code)
    {
        using var dir = new TempDirectory();
        var (catalogue, litellm) = Files(dir);

        var result = Cli.Run("crosscheck", "--against", "litellm=" + litellm, "--against", "genai-prices=" + GenAiPricesImportTests.Data, "--catalogue", catalogue, "--fail-over", percent);

        Assert.Equal(code, result.Code);
        if (code == 1)
        {
            Assert.Contains("error: 3 price(s) differ from a source by more than 5%", result.Err);
        }
    }

    [Fact]
    public void Markdown_writes_tables_for_a_pull_request()
    {
        using var dir = new TempDirectory();
        var (catalogue, litellm) = Files(dir);

        var result = Cli.Run("crosscheck", "--against", "litellm=" + litellm, "--catalogue", catalogue, "--format", "markdown");

        Assert.Equal(0, result.Code);
        Assert.Contains("| model | source | field | catalogue | source price | difference |\n|---|---|---|---|---|---|\n| anthropic/claude-sonnet-4-5 | litellm | input_mtok | 3 | 3.3 | +10% |", result.Out.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Needs_a_source_it_knows()
    {
        Assert.Contains("--against is required", Cli.Run("crosscheck", "--catalogue", Fixtures.PricingYaml).Err);
        Assert.Contains("--against takes litellm=<file> or genai-prices=<file>, not 'helicone'", Cli.Run("crosscheck", "--against", "helicone=" + GenAiPricesImportTests.Data, "--catalogue", Fixtures.PricingYaml).Err);
        Assert.Contains("--fail-over is a percentage", Cli.Run("crosscheck", "--against", "litellm=x", "--fail-over", "lots").Err);
    }

    private static (string Catalogue, string LiteLlm) Files(TempDirectory dir) =>
        (dir.Write("pricing.yaml", Catalogue), dir.Write("litellm.json", LiteLlmMap));
}
