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

    // The words every answer repeats, encoded once with the writer's encoder (the same bytes as writing the string).
    private readonly JsonEncodedText[] _sources = Encoded(Enum.GetValues<PricingSource>(), s => s.ToWire(), json.Value.SerializerOptions);
    private readonly JsonEncodedText[] _tokenSources = Encoded(Enum.GetValues<TokenSource>(), s => s.ToWire(), json.Value.SerializerOptions);
    private readonly JsonEncodedText[] _shapes = Encoded(Enum.GetValues<UsageShape>(), CostApi.ShapeName, json.Value.SerializerOptions);
    private readonly JsonEncodedText[] _unitNames = Encoded(UsageUnits.All, UsageUnits.WireName, json.Value.SerializerOptions);
    private readonly JsonEncodedText[] _priceKeys = Encoded(UsageUnits.All, UsageUnits.PriceKey, json.Value.SerializerOptions);
    private EncodedVersion? _version;

    public void Write(Utf8JsonWriter w, PricingRequest call, in CostBreakdown cost, PricingEngine engine) =>
        Write(w, call.Model, call.Provider, call.Shape, call.Unpriced, cost, engine);

    /// <summary>The answer for a call of <paramref name="model"/> (and <paramref name="provider"/>, as sent) whose usage had <paramref name="shape"/> and <paramref name="unpriced"/> numbers.</summary>
    public void Write(Utf8JsonWriter w, string model, string? provider, UsageShape shape, IReadOnlyList<UnpricedField> unpriced, in CostBreakdown cost, PricingEngine engine)
    {
        var resolution = cost.Resolution;
        w.WriteStartObject();
        w.WriteString("model"u8, model);
        w.WriteString("resolved_model"u8, resolution.ResolvedModel);
        w.WriteString("provider"u8, resolution.Provider?.Id ?? provider);
        w.WriteString("pricing_source"u8, _sources[(int)resolution.Source]);
        w.WriteString("token_source"u8, _tokenSources[(int)cost.TokenSource]);
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
        w.WriteString("catalog_version"u8, VersionOf(engine));
        w.WriteStartArray("warnings"u8);
        foreach (var warning in resolution.Warnings)
        {
            w.WriteStringValue(warning);
        }

        if (CostApi.EstimateWarning(cost, engine) is { } estimate)
        {
            w.WriteStringValue(estimate);
        }

        foreach (var field in unpriced)
        {
            w.WriteStringValue(CostApi.UnpricedWarning(field, shape));
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
        w.WriteString("usage_shape"u8, _shapes[(int)shape]);
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
        foreach (var field in unpriced)
        {
            w.WriteStartObject();
            w.WriteString("field"u8, field.Field);
            w.WriteNumber("count"u8, field.Count);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        Span<ChargedUnit> units = stackalloc ChargedUnit[UsageUnits.Count];
        w.WriteStartArray("units"u8);
        foreach (var unit in units[..CostCalculator.Units(cost, units)])
        {
            w.WriteStartObject();
            w.WriteString("unit"u8, _unitNames[(int)unit.Unit]);
            w.WriteNumber("count"u8, unit.Count);
            w.WriteString("price_key"u8, _priceKeys[(int)unit.Unit]);
            Money(w, "price"u8, unit.Price);
            Money(w, "usd"u8, unit.Usd);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>The engine's catalogue version, encoded once per engine (a reloaded catalogue is another engine).</summary>
    private JsonEncodedText VersionOf(PricingEngine engine)
    {
        var version = _version;
        if (version is null || !ReferenceEquals(version.Engine, engine))
        {
            _version = version = new EncodedVersion(engine, JsonEncodedText.Encode(engine.Version, Options.Encoder));
        }

        return version.Text;
    }

    /// <summary>The wire word of each value, by the value as an index (the enums are numbered from 0 without gaps).</summary>
    private static JsonEncodedText[] Encoded<T>(T[] values, Func<T, string> word, JsonSerializerOptions options) where T : struct, Enum
    {
        var encoded = new JsonEncodedText[values.Length];
        foreach (var value in values)
        {
            encoded[Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)] = JsonEncodedText.Encode(word(value), options.Encoder);
        }

        return encoded;
    }

    private sealed record EncodedVersion(PricingEngine Engine, JsonEncodedText Text);

    private static void Money(Utf8JsonWriter w, ReadOnlySpan<byte> name, decimal value)
    {
        w.WritePropertyName(name);
        ExactDecimalConverter.WriteNumber(w, value);
    }
}
