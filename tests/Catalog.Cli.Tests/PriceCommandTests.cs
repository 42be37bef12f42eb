namespace Catalog.Cli.Tests;

public sealed class PriceCommandTests
{
    [Fact]
    public void Prices_one_request_and_explains_the_resolution()
    {
        var result = Cli.Run("price", "claude-sonnet-4-5-20250929", "--input", "3100", "--output", "50", "--cache-read", "2000", "--cache-write", "1000", "--file", Fixtures.PricingYaml);

        Assert.True(result.Code == 0, result.Err);
        Assert.Contains("claude-sonnet-4-5-20250929 -> anthropic/claude-sonnet-4-5 (match)", result.Out);
        Assert.Contains("no       exact 'claude-sonnet-4-5-20250929'", result.Out);
        Assert.Contains("matched  match 'claude-sonnet-4-5-20250929': prefix 'claude-sonnet-4-5-'", result.Out);
        Assert.Matches(@"total\s+0\.0054\n", result.Out.Replace("\r\n", "\n"));
    }

    [Fact]
    public void Explains_a_tier()
    {
        var result = Cli.Run("price", "anthropic/claude-sonnet-4-5", "--input", "250000", "--output", "1000", "--file", Fixtures.PricingYaml);

        Assert.Contains("tier: more than 200000 input tokens", result.Out);
        Assert.Matches(@"total\s+1\.5225", result.Out);
    }

    [Fact]
    public void Without_token_counts_the_typical_request_is_estimated()
    {
        var result = Cli.Run("price", "gpt-3.5-turbo", "--file", Fixtures.PricingYaml);

        Assert.Contains("(estimated: no token counts given", result.Out);
        Assert.Matches(@"total\s+0\.00125", result.Out);
    }

    [Fact]
    public void An_unknown_model_says_it_fell_back()
    {
        var result = Cli.Run("price", "mystery-model", "--input", "1000000", "--file", Fixtures.PricingYaml);

        Assert.Equal(0, result.Code);
        Assert.Contains("mystery-model -> fallback (fallback)", result.Out);
        Assert.Contains("warning: 'mystery-model' is not in the catalogue; priced at the catalogue fallback", result.Err);
    }

    [Theory]
    [InlineData("--input", "100", "--cache-read", "200")]
    [InlineData("--input", "-5")]
    [InlineData("--input", "lots")]
    [InlineData("--input", "100", "--input-audio", "200")]
    [InlineData("--output", "10", "--reasoning", "8", "--output-audio", "8")]
    [InlineData("--batch", "--service-tier", "flex")]
    public void Impossible_token_counts_are_usage_errors(params string[] options)
    {
        var result = Cli.Run(["price", "gpt-4o", "--file", Fixtures.PricingYaml, .. options]);

        Assert.Equal(2, result.Code);
        Assert.StartsWith("error: ", result.Err);
    }

    [Fact]
    public void A_batch_call_with_web_searches_is_priced_with_the_tier_and_every_unit_is_shown()
    {
        var standard = Cli.Run("price", "claude-sonnet-4-5", "--input", "1000", "--output", "100", "--file", Fixtures.PricingYaml);
        var batch = Cli.Run("price", "claude-sonnet-4-5", "--input", "1000", "--output", "100", "--batch", "--region", "us", "--file", Fixtures.PricingYaml);

        Assert.True(batch.Code == 0, batch.Err);
        Assert.Matches(@"total\s+0\.0045\n", standard.Out.Replace("\r\n", "\n"));
        Assert.Matches(@"total\s+0\.00225\n", batch.Out.Replace("\r\n", "\n"));
        Assert.Contains("service tier: batch; region: us", batch.Out);
        Assert.Matches(@"input_tokens\s+1000\s+input_mtok\s+1\.5\s+0\.0015", batch.Out);
        Assert.DoesNotContain("service tier:", standard.Out);
    }

    [Fact]
    public void Audio_and_reasoning_tokens_of_a_model_without_their_own_prices_are_charged_at_the_input_and_output_prices()
    {
        var result = Cli.Run("price", "gpt-4o", "--input", "1000", "--input-audio", "600", "--output", "10", "--reasoning", "4", "--file", Fixtures.PricingYaml);

        Assert.True(result.Code == 0, result.Err);
        Assert.Matches(@"input_tokens\s+1000\s+input_mtok\s+2\.5\s+0\.0025", result.Out);
        Assert.Matches(@"total\s+0\.0026\n", result.Out.Replace("\r\n", "\n"));
    }
}
