using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Catalog.Cli.Catalogue;
using Catalog.Cli.LiteLlm;
using Catalog.Catalogue.Parsing;
using Catalog.Pricing;

namespace Catalog.Cli.Tests;

public sealed class ImportCommandTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("the repository's catalogue")]
    [InlineData("providers without models")]
    public void Every_imported_model_costs_what_LiteLLMs_own_formula_says(string catalogue)
    {
        using var dir = new TempDirectory();
        var file = catalogue == "providers without models" ? dir.Write("pricing.yaml", Catalogues.ProvidersOnly) : dir.Copy(Fixtures.PricingYaml);
        var plan = Plan(File.ReadAllText(file));

        var result = Cli.Run("import", "litellm", Fixtures.LiteLlmMap, "--file", file);

        Assert.True(result.Code == 0, result.Err);
        Assert.NotEmpty(plan.Imported);
        var engine = RuntimeCatalog.Engine(CatalogParser.Parse(file, File.ReadAllText(file)).Catalog!);
        using var map = JsonDocument.Parse(File.ReadAllText(Fixtures.LiteLlmMap));
        var compared = 0;
        foreach (var imported in plan.Imported)
        {
            var entry = map.RootElement.GetProperty(imported.Key);
            foreach (var usage in SampleUsages(entry))
            {
                var cost = engine.Price(imported.Model.FullName, null, usage, Now);
                Assert.Equal(imported.Model.FullName, cost.Resolution.ResolvedModel);
                Assert.True(LiteLlmCost(entry, usage) == cost.TotalUsd, $"{imported.Key} {usage}: LiteLLM {LiteLlmCost(entry, usage)}, catalogue {cost.TotalUsd}");
                compared++;
            }
        }

        Assert.Equal(6 * plan.Imported.Count, compared);
    }

    [Fact]
    public void Imports_every_chat_model_of_a_known_provider_that_has_token_prices()
    {
        var plan = Plan(Catalogues.ProvidersOnly);

        Assert.Equal(185, plan.Imported.Count);
        Assert.Contains(plan.Imported, i => i.Model.FullName == "google/gemini-2.5-pro" && i.Model.Prices.Tiers.Count == 1);
        Assert.Contains(plan.Imported, i => i.Model.FullName == "openai/o3-pro");
    }

    [Fact]
    public void Keeps_every_line_and_comment_of_the_catalogue_and_marks_what_it_adds()
    {
        using var dir = new TempDirectory();
        var file = dir.Copy(Fixtures.PricingYaml);
        var original = File.ReadAllText(file);

        Cli.Run("import", "litellm", Fixtures.LiteLlmMap, "--file", file);

        var edited = File.ReadAllText(file);
        CatalogueEditorTests.AssertKeepsEveryLine(original, edited);
        Assert.Matches(
            @"\n      # imported from LiteLLM \((?<key>[^)]+)\)\n      - id: \k<key>\n        source: https://github\.com/BerriAI/litellm/blob/main/model_prices_and_context_window\.json\n        checked: 2026-11-28\n        prices: \{ input_mtok: [0-9.]+, output_mtok: [0-9.]+[^}]* \}\n\n",
            edited);
    }

    [Fact]
    public void Per_token_prices_become_exact_decimals_per_million_with_tiers()
    {
        var plan = Plan(Catalogues.ProvidersOnly);

        var gpt54 = plan.Imported.Single(i => i.Key == "gpt-5.4").Model.Prices;
        Assert.Equal(2.5m, gpt54.InputMtok);
        Assert.Equal(15m, gpt54.OutputMtok);
        Assert.Equal(0.25m, gpt54.CacheReadMtok);
        var tier = Assert.Single(gpt54.Tiers);
        Assert.Equal(272_000, tier.AboveInputTokens);
        Assert.Equal("5", YamlText.Number(tier.Prices.InputMtok!.Value));
    }

    [Fact]
    public void Reports_what_it_left_out_and_why()
    {
        var plan = Plan(Catalogues.ProvidersOnly);
        using var map = JsonDocument.Parse(File.ReadAllText(Fixtures.LiteLlmMap));

        Assert.Equal(map.RootElement.EnumerateObject().Count(), plan.Imported.Count + plan.Skipped.Values.Sum(k => k.Count));
        var reasons = plan.Skipped.ToDictionary(s => s.Key, s => s.Value.Count);
        Assert.Equal(
            new Dictionary<string, int>
            {
                ["mode 'image_generation' is not priced per token by the catalogue"] = 12,
                ["mode 'audio_transcription' is not priced per token by the catalogue"] = 6,
                ["mode 'audio_speech' is not priced per token by the catalogue"] = 4,
                ["mode 'embedding' is not priced per token by the catalogue"] = 4,
                ["mode 'realtime' is not priced per token by the catalogue"] = 1,
                ["provider 'moonshot' has no counterpart in the catalogue"] = 2,
                ["provider 'bedrock' has no counterpart in the catalogue"] = 1,
                ["provider 'volcengine' has no counterpart in the catalogue"] = 1,
                ["provider 'zhipu' has no counterpart in the catalogue"] = 1,
                ["provider 'minimax' has no counterpart in the catalogue"] = 1,
            },
            reasons);
        Assert.Equal(["kimi-k2.5", "kimi-k2.6"], plan.Skipped["provider 'moonshot' has no counterpart in the catalogue"]);
        Assert.Empty(plan.Problems);
    }

    [Fact]
    public void A_second_import_finds_nothing_to_add()
    {
        using var dir = new TempDirectory();
        var file = dir.Copy(Fixtures.PricingYaml);
        Cli.Run("import", "litellm", Fixtures.LiteLlmMap, "--file", file);
        var once = File.ReadAllText(file);

        var again = Cli.Run("import", "litellm", Fixtures.LiteLlmMap, "--file", file);

        Assert.Equal(0, again.Code);
        Assert.Contains("Nothing to import", again.Out);
        Assert.Equal(once, File.ReadAllText(file));
    }

    [Fact]
    public void Provider_restricts_and_dry_run_writes_nothing()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("pricing.yaml", Catalogues.ProvidersOnly);
        var original = File.ReadAllText(file);

        var result = Cli.Run("import", "litellm", Fixtures.LiteLlmMap, "--file", file, "--provider", "anthropic", "--dry-run");

        Assert.Equal(0, result.Code);
        Assert.Contains("Models to add (26: anthropic 26)", result.Out);
        Assert.Contains("not changed; 26 model(s) and 0 alias(es) would be added", result.Out);
        Assert.Equal(original, File.ReadAllText(file));
    }

    [Fact]
    public void A_malformed_entry_is_reported_and_the_rest_imported()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("pricing.yaml", Fixtures.Small);
        var map = dir.Write("map.json", """
            {
              "sample_spec": { "input_cost_per_token": "price per input token" },
              "broken": "not an entry",
              "acme-typo": { "litellm_provider": "openai", "mode": "chat", "input_cost_per_token": "3e-06", "output_cost_per_token": 1.5e-05 },
              "acme-negative": { "litellm_provider": "openai", "mode": "chat", "input_cost_per_token": -1e-06, "output_cost_per_token": 1e-06 },
              "gpt-free": { "litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 0.0, "output_cost_per_token": 0 },
              "gpt-unpriced": { "litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 1e-06 },
              "gpt-good": { "litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 1.875e-05, "output_cost_per_token": 7.5e-05 }
            }
            """);
        var withOpenAi = Fixtures.Small.Replace("  - id: other\n    name: Other", "  - id: openai\n    name: OpenAI");
        File.WriteAllText(file, withOpenAi);

        var result = Cli.Run("import", "litellm", map, "--file", file);

        Assert.True(result.Code == 0, result.Err);
        Assert.Contains("warning: entry 'broken' is string, not an object; skipped", result.Err);
        Assert.Contains("warning: entry 'acme-typo': 'input_cost_per_token' is \"3e-06\", not a number; skipped", result.Err);
        Assert.Contains("warning: entry 'acme-negative': 'input_cost_per_token' is -1e-06; a price cannot be negative; skipped", result.Err);
        Assert.Matches(@"malformed entry\s+3\s+broken, acme-typo, acme-negative", result.Out);
        Assert.Matches(@"input and output prices are 0\s+1\s+gpt-free", result.Out);
        Assert.Matches(@"no per-token input and output prices\s+1\s+gpt-unpriced", result.Out);
        Assert.Contains("- id: gpt-good", File.ReadAllText(file));
        Assert.Contains("prices: { input_mtok: 18.75, output_mtok: 75 }", File.ReadAllText(file));
    }

    [Fact]
    public void A_file_that_is_not_json_fails_clearly()
    {
        using var dir = new TempDirectory();
        var map = dir.Write("map.json", "{ \"gpt\": { ");

        var result = Cli.Run("import", "litellm", map, "--file", Fixtures.PricingYaml);

        Assert.Equal(2, result.Code);
        Assert.Contains("is not valid JSON (line 1", result.Err);
    }

    [Fact]
    public void A_catalogue_that_does_not_parse_gets_the_builds_messages_and_no_import()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("pricing.yaml", Fixtures.Small.Replace("checked: 2026-01-01", "checked: yesterday"));

        var result = Cli.Run("import", "litellm", Fixtures.LiteLlmMap, "--file", file);

        Assert.Equal(1, result.Code);
        Assert.Matches(@"pricing\.yaml\(\d+,\d+\): error PRICE004: 'checked' in model 'acme/acme-large' must be a date", result.Err);
    }

    [Fact]
    public void An_addition_that_would_break_the_catalogue_is_not_written()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("pricing.yaml", Fixtures.Small);
        var clash = new NewModel("acme", "bot", new global::Catalog.Catalogue.Model.PriceBlock(1m, 2m, null, null, null, global::Catalog.Catalogue.EquatableArray<global::Catalog.Catalogue.Model.TierDoc>.Empty), "https://example.invalid", Cli.Today, "test");
        var output = new StringWriter();
        var error = new StringWriter();

        var code = Commands.CatalogueUpdate.Apply(new CatalogueFile(file, Fixtures.Small), [clash], [], new Output.Terminal(output, error, rich: false), write: true);

        Assert.Equal(1, code);
        Assert.Contains("refusing to write", error.ToString());
        Assert.Contains("error PRICE006: alias 'bot' has the same name as model 'acme/bot'", error.ToString());
        Assert.Equal(Fixtures.Small, File.ReadAllText(file));
    }

    private static ImportPlan Plan(string catalogue)
    {
        using var map = JsonDocument.Parse(File.ReadAllText(Fixtures.LiteLlmMap));
        return LiteLlmImport.Plan(map.RootElement.Clone(), CatalogParser.Parse("pricing.yaml", catalogue).Catalog!, null, Cli.Today);
    }

    /// <summary>Usages that reach every price the entry has: plain, above each tier threshold, and each kind of cache token it prices.</summary>
    private static IEnumerable<TokenUsage> SampleUsages(JsonElement entry)
    {
        yield return new TokenUsage(1_000, 500);
        yield return new TokenUsage(250_000, 1_000);
        yield return new TokenUsage(300_000, 2_000);
        var read = entry.TryGetProperty("cache_read_input_token_cost", out _) ? 4_000 : 0;
        var write = entry.TryGetProperty("cache_creation_input_token_cost", out _) ? 2_000 : 0;
        var write1h = entry.TryGetProperty("cache_creation_input_token_cost_above_1hr", out _) ? 1_000 : 0;
        yield return new TokenUsage(10_000, 500, read, write + write1h, write1h);
        yield return new TokenUsage(260_000, 500, read * 10, (write + write1h) * 5, write1h * 5);
        yield return new TokenUsage(400_000, 700, read * 20, (write + write1h) * 10, write1h * 10);
    }

    /// <summary>
    /// LiteLLM's cost, written here independently of the importer: uncached prompt tokens at the input
    /// price, completion tokens at the output price, cache reads and writes at their prices; when the
    /// prompt is larger than a threshold N of an <c>input_cost_per_token_above_Nk_tokens</c> key, the
    /// highest such tier's prices replace the base ones where it has them.
    /// </summary>
    private static decimal LiteLlmCost(JsonElement entry, TokenUsage usage)
    {
        var suffix = entry.EnumerateObject()
            .Select(p => Regex.Match(p.Name, @"^input_cost_per_token_above_(\d+)k_tokens$"))
            .Where(m => m.Success && usage.InputTokens > long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * 1000)
            .OrderByDescending(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
            .Select(m => $"_above_{m.Groups[1].Value}k_tokens")
            .FirstOrDefault();

        decimal Cost(string key) =>
            suffix is not null && entry.TryGetProperty(key + suffix, out var tiered) ? Number(tiered)
            : entry.TryGetProperty(key, out var value) ? Number(value)
            : 0m;

        var uncached = usage.InputTokens - usage.CacheReadTokens - usage.CacheWriteTokens;
        return (uncached * Cost("input_cost_per_token"))
            + (usage.OutputTokens * Cost("output_cost_per_token"))
            + (usage.CacheReadTokens * Cost("cache_read_input_token_cost"))
            + ((usage.CacheWriteTokens - usage.CacheWrite1hTokens) * Cost("cache_creation_input_token_cost"))
            + (usage.CacheWrite1hTokens * Cost("cache_creation_input_token_cost_above_1hr"));
    }

    private static decimal Number(JsonElement value) => decimal.Parse(value.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture);
}
