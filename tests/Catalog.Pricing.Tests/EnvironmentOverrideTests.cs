using static Catalog.Pricing.Tests.TestCatalog;

namespace Catalog.Pricing.Tests;

/// <summary>Provider default prices overridden by environment variables (USD per token), read once at start-up.</summary>
public sealed class EnvironmentOverrideTests
{
    private const string Input = "HUGGINGFACE_INPUT_TOKEN_COST";
    private const string Output = "HUGGINGFACE_OUTPUT_TOKEN_COST";

    [Fact]
    public void Unset_variables_keep_the_yaml_defaults()
    {
        Assert.Equal(Prices(1m, 3m), RealEngine().EffectiveProviderDefaults["huggingface"], PriceSetComparer.Instance);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Blank_variables_keep_the_yaml_defaults(string value)
    {
        Assert.Equal(1m, RealEngine((Input, value)).EffectiveProviderDefaults["huggingface"].InputMtok);
    }

    [Theory]
    [InlineData("0.000002", 2)]
    [InlineData(" 0.000002 ", 2)]
    [InlineData("2e-6", 2)]
    [InlineData("2E-06", 2)]
    [InlineData("0", 0)]
    [InlineData("+0.0000005", 0.5)]
    public void A_variable_overrides_its_price_only(string value, decimal inputMtok)
    {
        var defaults = RealEngine((Input, value)).EffectiveProviderDefaults["huggingface"];

        Assert.Equal(inputMtok, defaults.InputMtok);
        Assert.Equal(3m, defaults.OutputMtok);
    }

    [Fact]
    public void Overrides_reach_models_without_their_own_prices()
    {
        var engine = RealEngine((Output, "0.00001"));

        var cost = engine.Price("gpt-oss-120b", null, new TokenUsage(1000, 500), Now);

        Assert.Equal(0.006m, cost.TotalUsd);
    }

    [Theory]
    [InlineData(Input, "abc", "not a number")]
    [InlineData(Input, "0,000001", "not a number")]
    [InlineData(Input, "1/1000000", "not a number")]
    [InlineData(Input, "NaN", "not a number")]
    [InlineData(Input, "Infinity", "not a number")]
    [InlineData(Input, "$0.000001", "not a number")]
    [InlineData(Output, "1e400", "not a number")]
    [InlineData(Input, "-0.000001", "negative")]
    [InlineData(Output, "-1", "negative")]
    [InlineData(Input, "79228162514264337593543950335", "more than 1 USD per token")]
    [InlineData(Input, "1000000", "more than 1 USD per token")]
    [InlineData(Output, "3", "more than 1 USD per token")]
    public void An_invalid_value_stops_start_up_naming_the_variable(string variable, string value, string reason)
    {
        var error = Assert.Throws<CatalogConfigurationException>(() => RealEngine((variable, value)));

        Assert.Contains(variable, error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void A_provider_with_variables_but_no_default_prices_overrides_the_fallback()
    {
        var engine = Engine(
            [Provider("p", inputEnv: "P_IN", outputEnv: "P_OUT")],
            [Model("p", "m", null)],
            environment: Environment(("P_IN", "0.000004")));

        Assert.Equal(Prices(4m, 1m), engine.EffectiveProviderDefaults["p"], PriceSetComparer.Instance);
        Assert.Equal(PricingSource.ProviderDefault, engine.Resolve("unknown", "p").Source);
    }

    [Fact]
    public void A_provider_with_variables_unset_and_no_default_prices_has_no_defaults()
    {
        var engine = Engine([Provider("p", inputEnv: "P_IN", outputEnv: "P_OUT")], [Model("p", "m", Prices(1m, 1m))]);

        Assert.False(engine.EffectiveProviderDefaults.ContainsKey("p"));
        Assert.Equal(PricingSource.Fallback, engine.Resolve("unknown", "p").Source);
    }
}
