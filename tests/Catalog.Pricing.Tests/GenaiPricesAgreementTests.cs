using System.Globalization;
using System.Text.Json;
using static Catalog.Pricing.Tests.TestCatalog;

namespace Catalog.Pricing.Tests;

/// <summary>
/// For one documented payload per usage shape, Catalog's total equals what genai-prices (extractUsage + calcPrice)
/// charges for the same payload and prices. The expectations were recorded by GenaiPrices/record.mjs; genai-prices
/// computes in binary floating point, so the totals agree to 1e-15 USD, not to the last bit.
/// </summary>
public sealed class GenaiPricesAgreementTests
{
    private static readonly JsonElement Cases = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "GenaiPrices", "expectations.json"))).RootElement.GetProperty("cases");

    public static TheoryData<string> Names() => [.. Cases.EnumerateArray().Select(c => c.GetProperty("name").GetString()!)];

    [Theory]
    [MemberData(nameof(Names))]
    public void Catalog_charges_what_genai_prices_charges(string name)
    {
        var @case = Cases.EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
        var read = UsageReader.Read(@case.GetProperty("usage"));
        Assert.True(read.Ok, read.Error);
        Assert.Equal(@case.GetProperty("shape").GetString(), UsageReader.ShapeName(read.Shape));
        var engine = Engine([Provider("p")], [Model("p", "m", PricesOf(@case.GetProperty("prices")))]);

        var cost = engine.Price("m", null, read.Usage, Now);

        var expected = @case.GetProperty("total_usd").GetDecimal();
        Assert.True(Math.Abs(cost.TotalUsd - expected) <= 1e-15m, $"{name}: Catalog {cost.TotalUsd.ToString(CultureInfo.InvariantCulture)}, genai-prices {expected.ToString(CultureInfo.InvariantCulture)}");
        Assert.Empty(read.Unpriced);
    }

    private static PriceSet PricesOf(JsonElement prices)
    {
        decimal? Price(string key) => prices.TryGetProperty(key, out var value) ? value.GetDecimal() : null;
        var known = UsageUnits.All.Select(UsageUnits.PriceKey).ToHashSet();
        Assert.All(prices.EnumerateObject(), p => Assert.Contains(p.Name, known));
        return Prices(Price("input_mtok")!.Value, Price("output_mtok")!.Value, Price("cache_read_mtok"), Price("cache_write_mtok"), Price("cache_write_1h_mtok")) with
        {
            InputAudioMtok = Price("input_audio_mtok"),
            CacheAudioReadMtok = Price("cache_audio_read_mtok"),
            OutputAudioMtok = Price("output_audio_mtok"),
            InputImageMtok = Price("input_image_mtok"),
            CacheImageReadMtok = Price("cache_image_read_mtok"),
            OutputImageMtok = Price("output_image_mtok"),
            InputVideoMtok = Price("input_video_mtok"),
            OutputVideoMtok = Price("output_video_mtok"),
            OutputReasoningMtok = Price("output_reasoning_mtok"),
            WebSearchesKcount = Price("web_searches_kcount"),
        };
    }
}
