namespace Catalog.Pricing;

/// <summary>The one rounding rule for amounts a division makes inexact (per-minute rates, 30/7 months, per-token prices).</summary>
public static class Money
{
    public const int Decimals = 6;

    public static decimal Round(decimal usd) => Math.Round(usd, Decimals, MidpointRounding.AwayFromZero);

    /// <summary>USD per million tokens, or null when no tokens were served.</summary>
    public static decimal? PerMillionTokens(decimal usd, decimal tokens) =>
        tokens > 0 ? Round(usd * 1_000_000m / tokens) : null;
}
