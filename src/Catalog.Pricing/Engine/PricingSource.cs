namespace Catalog.Pricing;

/// <summary>Which resolution step priced a model name, most specific first.</summary>
public enum PricingSource
{
    Exact,
    Alias,
    Match,
    ShortName,
    CaseInsensitive,
    ProviderDefault,
    DefaultModel,
    Fallback,
}

/// <summary>Where the token counts came from.</summary>
public enum TokenSource
{
    Actual,
    Estimated,
    Unknown,
}

public static class PricingNames
{
    public static string ToWire(this PricingSource source) => source switch
    {
        PricingSource.Exact => "exact",
        PricingSource.Alias => "alias",
        PricingSource.Match => "match",
        PricingSource.ShortName => "short_name",
        PricingSource.CaseInsensitive => "case_insensitive",
        PricingSource.ProviderDefault => "provider_default",
        PricingSource.DefaultModel => "default_model",
        _ => "fallback",
    };

    public static string ToWire(this TokenSource source) => source switch
    {
        TokenSource.Actual => "actual",
        TokenSource.Estimated => "estimated",
        _ => "unknown",
    };

    /// <summary>True for the steps after the model's own rules: a guess that deserves a warning.</summary>
    public static bool IsGuess(this PricingSource source) => source >= PricingSource.ShortName;
}
