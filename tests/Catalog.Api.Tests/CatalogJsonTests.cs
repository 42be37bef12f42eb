using System.Text.Json;

namespace Catalog.Api.Tests;

/// <summary>Money on the wire: exact JSON numbers from decimal, without the trailing zeros of the arithmetic.</summary>
public sealed class CatalogJsonTests
{
    private static readonly JsonSerializerOptions Options = Configured();

    [Theory]
    [InlineData("0.00945", "0.00945")]
    [InlineData("0.0094500000", "0.00945")]
    [InlineData("0", "0")]
    [InlineData("0.000", "0")]
    [InlineData("100", "100")]
    [InlineData("100.00", "100")]
    [InlineData("10.50", "10.5")]
    [InlineData("-1.50", "-1.5")]
    [InlineData("750000000", "750000000")]
    [InlineData("0.0000000000000000000000000001", "0.0000000000000000000000000001")]
    [InlineData("79228162514264337593543950335", "79228162514264337593543950335")]
    [InlineData("-79228162514264337593543950335", "-79228162514264337593543950335")]
    [InlineData("-7.9228162514264337593543950335", "-7.9228162514264337593543950335")]
    public void Decimals_are_written_exactly_without_trailing_zeros(string value, string json)
    {
        var amount = decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(json, JsonSerializer.Serialize(amount, Options));
        Assert.Equal(amount, JsonSerializer.Deserialize<decimal>(json, Options));
    }

    [Fact]
    public void Decimals_inside_objects_and_arrays_keep_the_separators()
    {
        Assert.Equal("""{"a":[1.5,0,2],"b":0.1}""", JsonSerializer.Serialize(new { a = new[] { 1.50m, 0.00m, 2m }, b = 0.10m }, Options));
    }

    [Fact]
    public void The_digits_of_a_decimal_are_the_invariant_text_without_trailing_zeros_for_every_mantissa_and_scale()
    {
        var random = new Random(17);
        var values = new List<decimal> { 0m, 0.000m, new decimal(0, 0, 0, true, 3), 1m, -1m, 0.5m, 10m, 100.00m, 0.000001m, 1e-28m, -1e-28m, decimal.MaxValue, decimal.MinValue, ulong.MaxValue, -(decimal)ulong.MaxValue, (decimal)ulong.MaxValue + 1m };
        for (byte scale = 0; scale <= 28; scale++)
        {
            values.Add(new decimal(-1, -1, 0, false, scale));
            values.Add(new decimal(1, 0, 0, true, scale));
            values.Add(new decimal(1_000_000, 0, 0, false, scale));
            values.Add(new decimal(-1, -1, 1, false, scale));
        }

        for (var i = 0; i < 200_000; i++)
        {
            // Mostly 64-bit mantissas (every price and nearly every cost), with trailing zeros often, some wider.
            var low = random.Next(4) == 0 ? random.Next(1, 10) * (int)Math.Pow(10, random.Next(0, 9)) : random.Next(int.MinValue, int.MaxValue);
            var middle = random.Next(3) == 0 ? 0 : random.Next(int.MinValue, int.MaxValue);
            var high = random.Next(8) == 0 ? random.Next(int.MinValue, int.MaxValue) : 0;
            values.Add(new decimal(low, middle, high, random.Next(2) == 0, (byte)random.Next(0, 29)));
        }

        Span<byte> text = stackalloc byte[31];
        foreach (var value in values)
        {
            var invariant = value.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var expected = invariant.Contains('.') ? invariant.TrimEnd('0').TrimEnd('.') : invariant;
            Assert.Equal(expected, System.Text.Encoding.UTF8.GetString(ExactDecimalConverter.Format(value, text)));
        }
    }

    [Theory]
    [InlineData(typeof(Catalog.Api.Features.Cost.CostResponse))]
    [InlineData(typeof(Catalog.Ledger.UsageRecord))]
    [InlineData(typeof(Catalog.Api.Features.Usage.UsageBatchResponse))]
    [InlineData(typeof(Catalog.Ledger.UsageSummary))]
    public void Contracts_are_serialized_with_generated_metadata_not_reflection(Type contract) =>
        Assert.IsType<Catalog.Api.Http.CatalogJsonContext>(Configured().GetTypeInfo(contract).OriginatingResolver);

    private static JsonSerializerOptions Configured()
    {
        var options = new JsonSerializerOptions();
        Json.Configure(options);
        return options;
    }
}
