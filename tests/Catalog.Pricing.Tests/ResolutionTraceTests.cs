using Catalog.Pricing;

namespace Catalog.Pricing.Tests;

/// <summary>
/// What Resolve and Explain say for one name of each resolution step, word for word: the engine's hot
/// paths build these strings lazily, and this pins that they still say the same thing.
/// </summary>
public sealed class ResolutionTraceTests
{
    private static readonly PricingEngine Engine = BuiltInCatalog.CreateEngine(_ => null);

    public static TheoryData<string, string?, string[]> Cases => new()
    {
        {
            "claude-sonnet-4-5", "anthropic",
            ["exact anthropic/claude-sonnet-4-5 matched"]
        },
        {
            "my-chatbot", null,
            ["alias my-chatbot matched"]
        },
        {
            "claude-sonnet-4-5-20250929", null,
            [
                "exact claude-sonnet-4-5-20250929 missed: no model, alias or match name",
                "match claude-sonnet-4-5-20250929 matched: prefix 'claude-sonnet-4-5-'",
            ]
        },
        {
            "anthropic/claude-sonnet-4-5:bedrock", null,
            [
                "exact anthropic/claude-sonnet-4-5:bedrock missed: no model, alias or match name",
                "match anthropic/claude-sonnet-4-5:bedrock missed: no match prefix",
                "short_name anthropic/claude-sonnet-4-5 matched: anthropic/claude-sonnet-4-5",
            ]
        },
        {
            "openrouter/gpt-4o", null,
            [
                "exact openrouter/gpt-4o missed: no model, alias or match name",
                "match openrouter/gpt-4o missed: no match prefix",
                "short_name gpt-4o matched: openai/gpt-4o",
            ]
        },
        {
            "Claude-Sonnet-4-5", null,
            [
                "exact Claude-Sonnet-4-5 missed: no model, alias or match name",
                "match Claude-Sonnet-4-5 missed: no match prefix",
                "short_name Claude-Sonnet-4-5 missed: no 'vendor/' prefix or ':provider' suffix to drop",
                "case_insensitive Claude-Sonnet-4-5 matched: claude-sonnet-4-5",
            ]
        },
        {
            "huggingface/some-model", null,
            [
                "exact huggingface/some-model missed: no model, alias or match name",
                "match huggingface/some-model missed: no match prefix",
                "short_name some-model missed",
                "case_insensitive huggingface/some-model missed",
                "provider_default huggingface matched",
            ]
        },
        {
            "acme-unknown-model", null,
            [
                "exact acme-unknown-model missed: no model, alias or match name",
                "match acme-unknown-model missed: no match prefix",
                "short_name acme-unknown-model missed: no 'vendor/' prefix or ':provider' suffix to drop",
                "case_insensitive acme-unknown-model missed",
                "provider_default  missed: no provider with default prices",
                "default_model default missed: no model with id 'default'",
                "fallback acme-unknown-model matched",
            ]
        },
        {
            "acme/unknown:nobody", "mistral",
            [
                "exact acme/unknown:nobody missed: no model, alias or match name",
                "match acme/unknown:nobody missed: no match prefix",
                "short_name acme/unknown missed",
                "short_name unknown missed",
                "case_insensitive acme/unknown:nobody missed",
                "provider_default mistral missed: no provider with default prices",
                "default_model default missed: no model with id 'default'",
                "fallback acme/unknown:nobody matched",
            ]
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Explain_lists_every_step_tried(string name, string? provider, string[] expected)
    {
        var (_, steps) = Engine.Explain(name, provider);
        var described = steps.Select(s => $"{s.Step} {s.Tried} {(s.Matched ? "matched" : "missed")}{(s.Detail is null ? "" : ": " + s.Detail)}");
        Assert.Equal(expected, described);
    }

    [Theory]
    [InlineData("claude-sonnet-4-5", "anthropic", PricingSource.Exact, "anthropic/claude-sonnet-4-5", "anthropic/claude-sonnet-4-5", "")]
    [InlineData("claude-sonnet-4-5-20250929", null, PricingSource.Match, "claude-sonnet-4-5-", "anthropic/claude-sonnet-4-5", "")]
    [InlineData("anthropic/claude-sonnet-4-5:bedrock", null, PricingSource.ShortName, "anthropic/claude-sonnet-4-5:bedrock", "anthropic/claude-sonnet-4-5",
        "'anthropic/claude-sonnet-4-5:bedrock' resolved by its short name 'anthropic/claude-sonnet-4-5' to 'anthropic/claude-sonnet-4-5'; add 'anthropic/claude-sonnet-4-5:bedrock' to the model's match.names to make this exact")]
    [InlineData("openrouter/gpt-4o", null, PricingSource.ShortName, "openrouter/gpt-4o", "openai/gpt-4o",
        "'openrouter/gpt-4o' resolved by its short name 'gpt-4o' to 'openai/gpt-4o'; add 'openrouter/gpt-4o' to the model's match.names to make this exact")]
    [InlineData("Claude-Sonnet-4-5", null, PricingSource.CaseInsensitive, "Claude-Sonnet-4-5", "anthropic/claude-sonnet-4-5",
        "'Claude-Sonnet-4-5' matched 'claude-sonnet-4-5' only when case is ignored; add the exact name to pricing.yaml")]
    [InlineData("huggingface/some-model", null, PricingSource.ProviderDefault, "huggingface/some-model", null,
        "'huggingface/some-model' is not in the catalogue; priced at provider 'huggingface' default prices")]
    [InlineData("acme-unknown-model", null, PricingSource.Fallback, "acme-unknown-model", null,
        "'acme-unknown-model' is not in the catalogue; priced at the catalogue fallback ($1 in / $1 out per million tokens). Add it to pricing.yaml")]
    public void Resolve_names_the_step_and_warns_about_guesses(string name, string? provider, PricingSource source, string requested, string? model, string warnings)
    {
        var resolution = Engine.Resolve(name, provider);
        Assert.Equal(source, resolution.Source);
        Assert.Equal(requested, resolution.RequestedName);
        Assert.Equal(model, resolution.ResolvedModel);
        Assert.Equal(warnings, string.Join(" | ", resolution.Warnings));
    }

    [Fact]
    public void A_guess_keeps_the_inactive_warning_of_the_model_it_found()
    {
        var retired = Engine.DirectNames.First(n => n.Value.Source == PricingSource.Exact && n.Value.Warnings.Count > 0 && !n.Key.Contains('/'));
        var guessed = Engine.Resolve("someone/" + retired.Key);
        Assert.Equal(PricingSource.ShortName, guessed.Source);
        Assert.Equal([.. retired.Value.Warnings, $"'someone/{retired.Key}' resolved by its short name '{retired.Key}' to '{retired.Value.ResolvedModel}'; add 'someone/{retired.Key}' to the model's match.names to make this exact"], guessed.Warnings);
    }
}
