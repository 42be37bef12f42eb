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
