namespace Catalog.Pricing.Tests;

/// <summary>
/// What the catalogue compiled into the build covers: the counts issue #16 asks for, and a list of model names as
/// providers document them (RealNames.tsv), each of which must resolve to its model by exact name, alias or match.
/// </summary>
public sealed class CoverageTests
{
    private static readonly PricingEngine Engine = BuiltInCatalog.CreateEngine(TestCatalog.Environment());

    public static TheoryData<string, string, string> RealNames()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "RealNames.tsv")))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var cells = line.Split('\t');
            data.Add(cells[0], cells[1], cells[2]);
        }

        return data;
    }

    [Fact]
    public void Prices_at_least_1200_models_from_at_least_30_providers_each_with_a_source_and_a_checked_date()
    {
        var models = BuiltInCatalog.Data.Models;

        Assert.True(models.Length >= 1200, $"{models.Length} models");
        Assert.True(models.Select(m => m.Provider).Distinct().Count() >= 30, $"{models.Select(m => m.Provider).Distinct().Count()} providers with models");
        Assert.All(models, m => Assert.True(m.Source is { Length: > 0 } && m.Checked is not null, m.FullName));
        string[] named =
        [
            "openai", "anthropic", "google", "vertex", "bedrock", "azure", "mistral", "deepseek", "xai", "groq", "cerebras", "together",
            "fireworks", "novita", "perplexity", "cohere", "openrouter", "huggingface-novita", "moonshotai", "zhipu", "minimax", "voyage", "cloudflare",
        ];
        Assert.All(named, provider => Assert.Contains(models, m => m.Provider == provider));
    }

    [Fact]
    public void The_name_list_holds_at_least_300_names()
    {
        Assert.True(RealNames().Count >= 300, $"{RealNames().Count} names");
    }

    [Theory]
    [MemberData(nameof(RealNames))]
    public void A_documented_name_resolves_to_its_model_without_guessing(string name, string provider, string model)
    {
        var resolution = Engine.Resolve(name, provider == "-" ? null : provider);

        Assert.False(resolution.Source.IsGuess(), $"{name}: {resolution.Source.ToWire()} ({string.Join("; ", resolution.Warnings)})");
        Assert.Equal(model, resolution.ResolvedModel);
    }
}
