using System.Text.Json;
using Catalog.Api.Http;
using Catalog.Ledger;
using Catalog.Pricing;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Catalog.Api.Features.Cost;

/// <summary>
/// Writes a cost answer straight from the priced call: the bytes the serializer writes for <see cref="CostResponse"/>
/// (its contract, in the OpenAPI document and in the tests that hold the two to the same bytes), without building
/// the record, its lists or its strings. The cost path is the service's hottest; a priced call allocates nothing here.
/// </summary>
public sealed class CostJson(IOptions<JsonOptions> json)
{
    /// <summary>The service's JSON options: the same escaping, and the serializer for problems of batch items.</summary>
    public JsonSerializerOptions Options { get; } = json.Value.SerializerOptions;

    public JsonWriterOptions WriterOptions { get; } = new()
    {
        Encoder = json.Value.SerializerOptions.Encoder,
        Indented = false,
        SkipValidation = true,
    };

    public void Write(Utf8JsonWriter w, PricingRequest call, in CostBreakdown cost, PricingEngine engine)
    {
        var resolution = cost.Resolution;
        w.WriteStartObject();
        w.WriteString("model"u8, call.Model);
        w.WriteString("resolved_model"u8, resolution.ResolvedModel);
        w.WriteString("provider"u8, resolution.Provider?.Id ?? call.Provider);
        w.WriteString("pricing_source"u8, resolution.Source.ToWire());
        w.WriteString("token_source"u8, cost.TokenSource.ToWire());
        if (cost.Tier is { } tier)
        {
            w.WriteNumber("tier"u8, tier);
        }
        else
        {
            w.WriteNull("tier"u8);
        }

        Money(w, "input_usd"u8, cost.InputUsd);
        Money(w, "output_usd"u8, cost.OutputUsd);
        Money(w, "cache_read_usd"u8, cost.CacheReadUsd);
        Money(w, "cache_write_usd"u8, cost.CacheWriteUsd);
        Money(w, "request_usd"u8, cost.RequestUsd);
        Money(w, "total_usd"u8, cost.TotalUsd);
        w.WriteString("currency"u8, "USD"u8);
        w.WriteString("catalog_version"u8, engine.Version);
        w.WriteStartArray("warnings"u8);
        foreach (var warning in resolution.Warnings)
        {
            w.WriteStringValue(warning);
        }

        if (CostApi.EstimateWarning(cost, engine) is { } estimate)
        {
            w.WriteStringValue(estimate);
        }

        foreach (var unpriced in call.Unpriced)
        {
            w.WriteStringValue(CostApi.UnpricedWarning(unpriced, call.Shape));
        }

        w.WriteEndArray();
        var usage = cost.Usage;
        w.WriteStartObject("usage"u8);
        w.WriteNumber("input_tokens"u8, usage.InputTokens);
        w.WriteNumber("output_tokens"u8, usage.OutputTokens);
        w.WriteNumber("cache_read_tokens"u8, usage.CacheReadTokens);
        w.WriteNumber("cache_write_tokens"u8, usage.CacheWriteTokens);
        w.WriteNumber("cache_write_1h_tokens"u8, usage.CacheWrite1hTokens);
        if (!usage.IsTextOnly)
        {
            // As UsageCounts is serialized: the other counts only when not zero.
            foreach (var unit in UsageCounts.MediaUnits)
            {
                if (usage[unit] != 0)
                {
                    w.WriteNumber(UsageUnits.WireName(unit), usage[unit]);
                }
            }
        }

        w.WriteEndObject();
        w.WriteString("usage_shape"u8, CostApi.ShapeName(call.Shape));
        var prices = CostApi.AppliedPricesOf(cost);
        w.WriteStartObject("prices"u8);
        Money(w, "input_mtok"u8, prices.Input);
        Money(w, "output_mtok"u8, prices.Output);
        Money(w, "cache_read_mtok"u8, prices.CacheRead);
        Money(w, "cache_write_mtok"u8, prices.CacheWrite);
        Money(w, "cache_write_1h_mtok"u8, prices.CacheWrite1h);
        w.WriteEndObject();
        Money(w, "tools_usd"u8, cost.ToolsUsd);
        w.WriteString("service_tier"u8, cost.ServiceTier);
        w.WriteString("region"u8, cost.Region);
        w.WriteStartArray("unpriced"u8);
        foreach (var unpriced in call.Unpriced)
        {
            w.WriteStartObject();
            w.WriteString("field"u8, unpriced.Field);
            w.WriteNumber("count"u8, unpriced.Count);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        Span<ChargedUnit> units = stackalloc ChargedUnit[UsageUnits.Count];
        w.WriteStartArray("units"u8);
        foreach (var unit in units[..CostCalculator.Units(cost, units)])
        {
            w.WriteStartObject();
            w.WriteString("unit"u8, unit.Name);
            w.WriteNumber("count"u8, unit.Count);
            w.WriteString("price_key"u8, unit.PriceKey);
            Money(w, "price"u8, unit.Price);
            Money(w, "usd"u8, unit.Usd);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Money(Utf8JsonWriter w, ReadOnlySpan<byte> name, decimal value)
    {
        w.WritePropertyName(name);
        ExactDecimalConverter.WriteNumber(w, value);
    }
}
