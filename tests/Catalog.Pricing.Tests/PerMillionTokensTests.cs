using CsCheck;

namespace Catalog.Pricing.Tests;

/// <summary>
/// CostCalculator multiplies and divides by one million without decimal multiplication and division; these
/// prove it returns the very decimal (mantissa, scale and sign) that `tokens * mtok / 1_000_000m` returns.
/// </summary>
public sealed class PerMillionTokensTests
{
    private static readonly long[] TokenCounts =
        [0, 1, 7, 10, 999, 1_000, 4_000, 99_999, 100_000, 200_001, 250_000, 999_999, 1_000_000, 1_000_001, 3_000_000, 123_456_789, 1_000_000_000, 987_654_321_012, TokenUsage.MaxTokens, -1, -2_500, long.MaxValue, long.MinValue];

    public static TheoryData<decimal> Amounts => new()
    {
        0m,
        0.00m,
        new decimal(0, 0, 0, isNegative: true, scale: 3),
        1m,
        3000m,
        1_000_000m,
        2_500_000.0m,
        0.000001m,
        -37.5m,
        decimal.MaxValue,
        decimal.MinValue,
        new decimal(-1, -1, 0, isNegative: false, scale: 0),
        new decimal(0, 0, 1, isNegative: false, scale: 4),
        new decimal(123_456_789, 0, 0, isNegative: false, scale: 22),
        new decimal(123_456_789, 0, 0, isNegative: false, scale: 23),
        new decimal(1, 0, 0, isNegative: true, scale: 28),
    };

    [Fact]
    public void A_decimal_read_in_place_has_the_fields_GetBits_returns()
    {
        var random = new Random(41);
        decimal[] fixedValues = [0m, -0m, new decimal(0, 0, 0, true, 28), 1m, -1.5m, decimal.MaxValue, decimal.MinValue, 1e-28m, 0.000075m, 79228162514264.337593543950m];
        foreach (var value in fixedValues.Concat(Enumerable.Range(0, 10_000).Select(_ => new decimal(random.Next(int.MinValue, int.MaxValue), random.Next(int.MinValue, int.MaxValue), random.Next(int.MinValue, int.MaxValue), random.Next(2) == 0, (byte)random.Next(29)))))
        {
            var bits = decimal.GetBits(value);
            var layout = CostCalculator.Layout(value);
            Assert.Equal(((ulong)(uint)bits[1] << 32) | (uint)bits[0], layout.Lo);
            Assert.Equal((uint)bits[2], layout.Hi);
            Assert.Equal(value.Scale, layout.Scale);
            Assert.Equal(bits[3] < 0, layout.Negative);
        }
    }

    [Theory]
    [MemberData(nameof(Amounts))]
    public void Matches_decimal_division(decimal amount) => AssertSameDecimal(amount / 1_000_000m, CostCalculator.PerMillionTokens(amount));

    [Fact]
    public void Matches_decimal_division_for_every_catalogue_price_and_token_count()
    {
        foreach (var price in CataloguePrices())
        {
            foreach (var tokens in TokenCounts)
            {
                var amount = tokens * price;
                AssertSameDecimal(amount / 1_000_000m, CostCalculator.PerMillionTokens(amount));
                AssertSameDecimal(amount / 1_000_000m, CostCalculator.PerMillionTokens(tokens, price));
            }
        }
    }

    [Fact]
    public void Matches_decimal_division_for_any_decimal()
    {
        AnyDecimal.Sample(amount => AssertSameDecimal(amount / 1_000_000m, CostCalculator.PerMillionTokens(amount)), iter: 200_000);
    }

    [Fact]
    public void Matches_decimal_arithmetic_for_any_token_count_times_a_price()
    {
        var price = Gen.Select(Gen.Int[0, 100_000_000], Gen.Byte[0, 12], (mantissa, scale) => new decimal(mantissa, 0, 0, false, scale));
        Gen.Select(Gen.OneOf(Gen.Long[-1_000_000, TokenUsage.MaxTokens], Gen.Const(0L)), price)
            .Sample((tokens, mtok) =>
            {
                AssertSameDecimal(tokens * mtok / 1_000_000m, CostCalculator.PerMillionTokens(tokens * mtok));
                AssertSameDecimal(tokens * mtok / 1_000_000m, CostCalculator.PerMillionTokens(tokens, mtok));
            }, iter: 200_000);
    }

    [Fact]
    public void Matches_decimal_arithmetic_for_any_long_times_any_decimal()
    {
        Gen.Select(Gen.OneOf(Gen.Long, Gen.Long[-100, 100], Gen.Const(0L)), AnyDecimal)
            .Sample((tokens, mtok) => Assert.Equal(Outcome(() => tokens * mtok / 1_000_000m), Outcome(() => CostCalculator.PerMillionTokens(tokens, mtok))), iter: 200_000);
    }

    [Fact]
    public void Zero_tokens_keep_the_scale_and_sign_of_the_price()
    {
        foreach (var mtok in new[] { 0m, 3.75m, 0.000m, new decimal(0, 0, 0, isNegative: true, scale: 2), -1.5m })
        {
            AssertSameDecimal(0L * mtok / 1_000_000m, CostCalculator.PerMillionTokens(0, mtok));
            AssertSameDecimal(-3L * mtok / 1_000_000m, CostCalculator.PerMillionTokens(-3, mtok));
        }
    }

    private static readonly Gen<decimal> AnyDecimal =
        Gen.Select(Gen.Int, Gen.OneOf(Gen.Int, Gen.Const(0)), Gen.OneOf(Gen.Int, Gen.Const(0)), Gen.Bool, Gen.Byte[0, 28],
            (lo, mid, hi, negative, scale) => new decimal(lo, mid, hi, negative, scale));

    private static IEnumerable<decimal> CataloguePrices()
    {
        var data = BuiltInCatalog.Data;
        var sets = data.Models.Select(m => m.Prices)
            .Concat(data.Models.SelectMany(m => m.History.Select(h => h.Prices)))
            .Concat(data.Providers.Select(p => p.DefaultPrices))
            .Concat(data.Aliases.Select(a => a.Prices))
            .Append(data.Fallback)
            .OfType<PriceSet>()
            .ToArray();
        var prices = sets.SelectMany(p => new[] { p.InputMtok, p.OutputMtok, p.CacheReadMtok, p.CacheWriteMtok, p.CacheWrite1hMtok })
            .Concat(sets.SelectMany(p => p.Tiers).SelectMany(t => new[] { t.InputMtok, t.OutputMtok, t.CacheReadMtok, t.CacheWriteMtok, t.CacheWrite1hMtok }))
            .OfType<decimal>()
            .DistinctBy(d => (d, d.Scale))
            .ToArray();
        Assert.True(prices.Length > 20, $"only {prices.Length} distinct prices in the catalogue");
        return prices;
    }

    /// <summary>The bits of the result, or the overflow that decimal arithmetic throws for too large a product.</summary>
    private static string Outcome(Func<decimal> calculate)
    {
        try
        {
            return string.Join(",", decimal.GetBits(calculate()));
        }
        catch (OverflowException)
        {
            return "overflow";
        }
    }

    private static void AssertSameDecimal(decimal expected, decimal actual) =>
        Assert.True(decimal.GetBits(expected).SequenceEqual(decimal.GetBits(actual)), $"expected {expected} (bits {string.Join(",", decimal.GetBits(expected))}), got {actual} (bits {string.Join(",", decimal.GetBits(actual))})");
}
