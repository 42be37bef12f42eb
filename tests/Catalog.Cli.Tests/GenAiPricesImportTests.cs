using System.Text.Json;
using Catalog.Cli.Catalogue;
using Catalog.Cli.GenAiPrices;
using Catalog.Catalogue.Parsing;
using Catalog.Pricing;

namespace Catalog.Cli.Tests;

public sealed class GenAiPricesImportTests
{
    /// <summary>A hand-checked catalogue: one model whose output price differs from genai-prices', comments to keep.</summary>
    internal const string Catalogue = """
        # yaml-language-server: $schema=./pricing.schema.json
        schema: 1
        assumptions: { typical_input_tokens: 1000, typical_output_tokens: 500 }
        fallback: { input_mtok: 1, output_mtok: 1 }
        providers:
          # hand-checked
          - id: anthropic
            name: Anthropic
            models:
              # the one we checked ourselves
              - id: claude-sonnet-4-5
                match: { prefixes: [claude-sonnet-4-5-] }
                source: https://www.anthropic.com/pricing
                checked: 2026-11-20
                prices: { input_mtok: 3, output_mtok: 16 }   # not genai-prices' 15

          - id: openai
            name: OpenAI
            models: []

          - id: google
            name: Google
            models: []
        aliases:
          - name: bot
            target: anthropic/claude-sonnet-4-5

        """;

    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    internal static string Data => Path.Combine(Fixtures.Directory, "genai-prices", "data.json");

    [Fact]
    public void Adds_models_and_providers_keeping_every_line_and_the_result_validates()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("pricing.yaml", Catalogue);

        var result = Cli.Run("import", "genai-prices", "--file", Data, "--catalogue", file);

        Assert.True(result.Code == 0, result.Err + result.Out);
        var edited = File.ReadAllText(file);
        // An empty list loses its '[]' to take entries; every other line stays.
        CatalogueEditorTests.AssertKeepsEveryLine(Catalogue.Replace("models: []", "models:", StringComparison.Ordinal), edited);
        var doc = CatalogParser.Parse(file, edited);
        Assert.False(doc.HasErrors, string.Join("\n", doc.Problems));
        var models = doc.Catalog!.Providers.SelectMany(p => p.Models).Select(m => m.FullName).ToList();
        Assert.Equal(
            [
                "anthropic/claude-3-haiku", "anthropic/claude-sonnet-4-5", "openai/gpt-4.1", "openai/o3", "google/gemini-3.5-flash",
                "perplexity/sonar", "bedrock/amazon.nova-lite-v1:0", "bedrock/regional.anthropic.claude-sonnet-4-5-20250929-v1:0",
                "huggingface-novita/MiniMaxAI/MiniMax-M2", "openrouter/01-ai/yi-large", "openrouter/agentica-org/deepcoder-14b-preview:free",
                "vertex/claude-3-5-haiku",
            ],
            models);
        Assert.Contains("\n      # imported from genai-prices (claude-3-haiku)\n      - id: claude-3-haiku\n        name: \"Claude Haiku 3\"\n", edited);
        Assert.Contains("  # imported from genai-prices (perplexity)\n  - id: perplexity\n    name: Perplexity\n    source: https://docs.perplexity.ai/guides/pricing\n    checked: 2026-11-28\n    models:\n", edited);
    }

    [Fact]
    public void A_disagreement_is_reported_and_not_applied()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("pricing.yaml", Catalogue);

        var result = Cli.Run("import", "genai-prices", "--file", Data, "--catalogue", file);

        Assert.Matches(@"Prices that disagree \(7; not applied", result.Out);
        Assert.Matches(@"anthropic/claude-sonnet-4-5\s+output_mtok\s+16\s+15\s+-6\.2%", result.Out);
        Assert.Matches(@"anthropic/claude-sonnet-4-5\s+input_mtok above 200000\s+-\s+6\s+-", result.Out);
        Assert.Contains("prices: { input_mtok: 3, output_mtok: 16 }   # not genai-prices' 15", File.ReadAllText(file));
    }

    [Fact]
    public void Prices_the_catalogue_cannot_state_are_listed_and_their_models_left_out()
    {
        var plan = Plan(Catalogue);

        Assert.Equal(
            [
                ("openai/gpt-4o-audio-preview", "input_audio_mtok 2.5"),
                ("deepseek/deepseek-chat", "prices between 00:30:00Z and 16:30:00Z each day (input_mtok 0.27, output_mtok 1.1, cache_read_mtok 0.07)"),
            ],
            plan.Unexpressible.Where(u => !u.Model.StartsWith("bedrock", StringComparison.Ordinal)).ToList());
        Assert.DoesNotContain(plan.AllModels, m => m.Id is "gpt-4o-audio-preview" or "deepseek-chat");
        Assert.Contains(plan.MatchRules, r => r.Model == "google/gemini-3.5-flash" && r.What == "regex \"^gemini-3\\\\.5-flash-\\\\d\": not in schema 1, left out");
    }

    [Fact]
    public void Into_a_schema_2_catalogue_audio_prices_are_imported_with_the_model()
    {
        var plan = Plan(Catalogue.Replace("schema: 1", "schema: 2", StringComparison.Ordinal));

        Assert.DoesNotContain(plan.Unexpressible, u => u.Model == "openai/gpt-4o-audio-preview");
        var audio = Assert.Single(plan.AllModels, m => m.Id == "gpt-4o-audio-preview");
        Assert.Equal(2.5m, audio.Prices["input_audio_mtok"]);
    }

    [Fact]
    public void Tiers_history_per_request_prices_and_match_rules_are_mapped()
    {
        var plan = Plan(Catalogue);
        var models = plan.AllModels.ToDictionary(m => m.FullName);

        var o3 = models["openai/o3"];
        Assert.Equal((2m, 8m, 0.5m), (o3.Prices.InputMtok, o3.Prices.OutputMtok, o3.Prices.CacheReadMtok));
        var launch = Assert.Single(o3.History);
        Assert.Equal("2025-06-10", launch.Until);
        Assert.Equal((10m, 40m), (launch.Prices.InputMtok, launch.Prices.OutputMtok));
        Assert.Equal(["o3-2025-04-16"], o3.MatchNames);

        Assert.Equal(0.012m, models["perplexity/sonar"].PerRequestUsd);
        Assert.Equal((0m, 0m), (models["openrouter/agentica-org/deepcoder-14b-preview:free"].Prices.InputMtok, models["openrouter/agentica-org/deepcoder-14b-preview:free"].Prices.OutputMtok));
        // Bedrock's 'contains' rules catch the cross-region profiles: schema 1 states them as one prefix per geography.
        Assert.Equal(
            ["amazon.nova-lite", "us.amazon.nova-lite", "eu.amazon.nova-lite", "apac.amazon.nova-lite", "us-gov.amazon.nova-lite", "jp.amazon.nova-lite", "au.amazon.nova-lite", "global.amazon.nova-lite"],
            models["bedrock/amazon.nova-lite-v1:0"].MatchPrefixes);
        Assert.Contains("MiniMaxAI/MiniMax-M2:novita", models["huggingface-novita/MiniMaxAI/MiniMax-M2"].MatchNames);
        Assert.Contains("minimaxai/minimax-m2", models["huggingface-novita/MiniMaxAI/MiniMax-M2"].MatchNames);
        Assert.Equal(["claude-3-5-haiku@"], models["vertex/claude-3-5-haiku"].MatchPrefixes);

        var regional = models["bedrock/regional.anthropic.claude-sonnet-4-5-20250929-v1:0"];
        Assert.Contains("anthropic.claude-sonnet-4-5-20250929-v1:0", regional.MatchNames);
        Assert.Contains("us.anthropic.claude-sonnet-4-5-20250929", regional.MatchPrefixes);
        // genai-prices scopes this rule to Bedrock; here it would take Anthropic's own dated names.
        Assert.DoesNotContain("claude-sonnet-4-5-20250929", regional.MatchPrefixes);
        Assert.Contains(plan.MatchRules, r => r.Model == regional.FullName && r.What.Contains("prefix 'claude-sonnet-4-5-20250929' would also catch names of prefix 'claude-sonnet-4-5-' of anthropic/claude-sonnet-4-5", StringComparison.Ordinal));
    }

    [Fact]
    public void Imported_prices_cost_what_genai_prices_says()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("pricing.yaml", Catalogue);
        Cli.Run("import", "genai-prices", "--file", Data, "--catalogue", file);
        var engine = RuntimeCatalog.Engine(CatalogParser.Parse(file, File.ReadAllText(file)).Catalog!);

        // sonar: $1 in, $1 out per million, $12 per thousand requests; no cache price, so cache reads cost the input price.
        var cost = engine.Price("sonar", "perplexity", new TokenUsage(10_000, 2_000, CacheReadTokens: 4_000), Now);
        Assert.Equal((10_000m + 2_000m) / 1_000_000m + 0.012m, cost.TotalUsd);
        var tiered = engine.Price("claude-3-5-haiku@20241022", null, new TokenUsage(1_000, 100), Now);
        Assert.Equal("vertex/claude-3-5-haiku", tiered.Resolution.ResolvedModel);
        Assert.Equal(PricingSource.Match, tiered.Resolution.Source);
        var before = engine.Price("o3", "openai", new TokenUsage(1_000_000, 0), new DateTimeOffset(2025, 6, 9, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(10m, before.TotalUsd);
    }

    [Fact]
    public void Provider_restricts_and_a_second_import_finds_nothing()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("pricing.yaml", Catalogue);

        var bedrock = Cli.Run("import", "genai-prices", "--file", Data, "--catalogue", file, "--provider", "bedrock");
        Assert.True(bedrock.Code == 0, bedrock.Err);
        Assert.Contains("Models to add (2: bedrock 2; new providers: bedrock)", bedrock.Out);

        Cli.Run("import", "genai-prices", "--file", Data, "--catalogue", file);
        var once = File.ReadAllText(file);
        var again = Cli.Run("import", "genai-prices", "--file", Data, "--catalogue", file);
        Assert.Contains("Nothing to import", again.Out);
        Assert.Equal(once, File.ReadAllText(file));
    }

    [Fact]
    public void Leave_out_names_models_not_to_add()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("pricing.yaml", Catalogue);

        var result = Cli.Run("import", "genai-prices", "--file", Data, "--catalogue", file, "--leave-out", "openai/o3, perplexity/sonar", "--dry-run");

        Assert.Matches(@"left out \(--leave-out\)\s+2\s+openai/o3, perplexity/sonar", result.Out);
        Assert.DoesNotContain("perplexity", result.Out.Split("Models left out")[0].Split("new providers:")[1].Split(')')[0]);
    }

    [Fact]
    public void Needs_the_data_file()
    {
        var result = Cli.Run("import", "genai-prices", "--catalogue", Fixtures.PricingYaml);

        Assert.Equal(2, result.Code);
        Assert.Contains("--file is required", result.Err);
    }

    private static GenAiPricesPlan Plan(string catalogue)
    {
        using var data = JsonDocument.Parse(File.ReadAllText(Data));
        return GenAiPricesImport.Plan(data.RootElement, CatalogParser.Parse("pricing.yaml", catalogue).Catalog!, null, Cli.Today);
    }
}
