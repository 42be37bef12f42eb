using System.Buffers;
using System.Text;
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

    // The words every answer repeats, encoded once with the writer's encoder and quoted (the same bytes as writing the string).
    private readonly byte[][] _sources = Encoded(Enum.GetValues<PricingSource>(), s => s.ToWire(), json.Value.SerializerOptions);
    private readonly byte[][] _tokenSources = Encoded(Enum.GetValues<TokenSource>(), s => s.ToWire(), json.Value.SerializerOptions);
    private readonly byte[][] _shapes = Encoded(Enum.GetValues<UsageShape>(), CostApi.ShapeName, json.Value.SerializerOptions);
    private readonly byte[][] _unitNames = Encoded(UsageUnits.All, UsageUnits.WireName, json.Value.SerializerOptions);
    private readonly byte[][] _priceKeys = Encoded(UsageUnits.All, UsageUnits.PriceKey, json.Value.SerializerOptions);

    /// <summary><c>,"input_audio_tokens":</c> and the like: a media count's name in the usage object, by unit.</summary>
    private readonly byte[][] _countNames = [.. UsageUnits.All.Select(unit => Encoding.UTF8.GetBytes($",{JsonSerializer.Serialize(UsageUnits.WireName(unit), json.Value.SerializerOptions)}:"))];

    private EncodedVersion? _version;

    /// <summary>Room asked of the response for one answer (about 850 bytes, more with warnings or media units); a longer one is copied.</summary>
    private const int AnswerBytes = 2048;

    /// <summary>The answer being written on this thread (an answer is written whole, without awaiting, then copied to the writer).</summary>
    [ThreadStatic]
    private static byte[]? t_answer;

    public void Write(Utf8JsonWriter w, PricingRequest call, in CostBreakdown cost, PricingEngine engine) =>
        Write(w, call.Model, call.Provider, call.Shape, call.Unpriced, cost, engine);

    /// <summary>
    /// The answer for a call of <paramref name="model"/> (and <paramref name="provider"/>, as sent) whose usage had
    /// <paramref name="shape"/> and <paramref name="unpriced"/> numbers. It is written as bytes, the names and the
    /// punctuation between values as literals, and handed to <paramref name="w"/> as one value.
    /// </summary>
    public void Write(Utf8JsonWriter w, string model, string? provider, UsageShape shape, IReadOnlyList<UnpricedField> unpriced, in CostBreakdown cost, PricingEngine engine)
    {
        var b = new JsonBytes(t_answer ??= new byte[4096], Options.Encoder);
        try
        {
            WriteAnswer(ref b, model, provider, shape, unpriced, cost, engine);
            w.WriteRawValue(b.Written, skipInputValidation: true);
        }
        finally
        {
            b.Dispose();
        }
    }

    /// <summary>
    /// The answer (<paramref name="form"/>: the whole <see cref="CostResponse"/>, or its <see cref="CostCompactResponse"/>
    /// fields) written straight into <paramref name="output"/>'s memory, after a comma when <paramref name="comma"/>
    /// (an item after the first of a list): the same bytes a <see cref="Utf8JsonWriter"/> would write, without copying them
    /// through one. Returns the bytes written.
    /// </summary>
    public int Write(IBufferWriter<byte> output, bool comma, CostAnswerForm form, string model, string? provider, UsageShape shape, IReadOnlyList<UnpricedField> unpriced, in CostBreakdown cost, PricingEngine engine)
    {
        var b = new JsonBytes(output.GetSpan(AnswerBytes), Options.Encoder);
        try
        {
            if (comma)
            {
                b.Raw(","u8);
            }

            if (form == CostAnswerForm.Compact)
            {
                WriteCompact(ref b, model, provider, cost);
            }
            else
            {
                WriteAnswer(ref b, model, provider, shape, unpriced, cost, engine);
            }

            if (b.Grown)
            {
                output.Write(b.Written);
            }
            else
            {
                output.Advance(b.Length);
            }

            return b.Length;
        }
        finally
        {
            b.Dispose();
        }
    }

    /// <summary>The fields of <see cref="CostCompactResponse"/>, with the values the whole answer gives them.</summary>
    private void WriteCompact(ref JsonBytes b, string model, string? provider, in CostBreakdown cost)
    {
        var resolution = cost.Resolution;
        b.Raw("{\"model\":"u8);
        b.String(model);
        b.Raw(",\"provider\":"u8);
        b.String(resolution.Provider?.Id ?? provider);
        b.Raw(",\"pricing_source\":"u8);
        b.Raw(_sources[(int)resolution.Source]);
        b.Raw(",\"input_usd\":"u8);
        b.Money(cost.InputUsd);
        b.Raw(",\"output_usd\":"u8);
        b.Money(cost.OutputUsd);
        b.Raw(",\"total_usd\":"u8);
        b.Money(cost.TotalUsd);
        b.Raw(",\"currency\":\"USD\"}"u8);
    }

    private void WriteAnswer(ref JsonBytes b, string model, string? provider, UsageShape shape, IReadOnlyList<UnpricedField> unpriced, in CostBreakdown cost, PricingEngine engine)
    {
        var resolution = cost.Resolution;
        b.Raw("{\"model\":"u8);
        b.String(model);
        b.Raw(",\"resolved_model\":"u8);
        b.String(resolution.ResolvedModel);
        b.Raw(",\"provider\":"u8);
        b.String(resolution.Provider?.Id ?? provider);
        b.Raw(",\"pricing_source\":"u8);
        b.Raw(_sources[(int)resolution.Source]);
        b.Raw(",\"token_source\":"u8);
        b.Raw(_tokenSources[(int)cost.TokenSource]);
        b.Raw(",\"tier\":"u8);
        if (cost.Tier is { } tier)
        {
            b.Number(tier);
        }
        else
        {
            b.Raw("null"u8);
        }

        b.Raw(",\"input_usd\":"u8);
        b.Money(cost.InputUsd);
        b.Raw(",\"output_usd\":"u8);
        b.Money(cost.OutputUsd);
        b.Raw(",\"cache_read_usd\":"u8);
        b.Money(cost.CacheReadUsd);
        b.Raw(",\"cache_write_usd\":"u8);
        b.Money(cost.CacheWriteUsd);
        b.Raw(",\"request_usd\":"u8);
        b.Money(cost.RequestUsd);
        b.Raw(",\"total_usd\":"u8);
        b.Money(cost.TotalUsd);
        b.Raw(",\"currency\":\"USD\",\"catalog_version\":"u8);
        b.Raw(VersionOf(engine));
        b.Raw(",\"warnings\":["u8);
        var separator = false;
        foreach (var warning in resolution.Warnings)
        {
            b.Item(ref separator);
            b.String(warning);
        }

        if (CostApi.EstimateWarning(cost, engine) is { } estimate)
        {
            b.Item(ref separator);
            b.String(estimate);
        }

        foreach (var field in unpriced)
        {
            b.Item(ref separator);
            b.String(CostApi.UnpricedWarning(field, shape));
        }

        var usage = cost.Usage;
        b.Raw("],\"usage\":{\"input_tokens\":"u8);
        b.Number(usage.InputTokens);
        b.Raw(",\"output_tokens\":"u8);
        b.Number(usage.OutputTokens);
        b.Raw(",\"cache_read_tokens\":"u8);
        b.Number(usage.CacheReadTokens);
        b.Raw(",\"cache_write_tokens\":"u8);
        b.Number(usage.CacheWriteTokens);
        b.Raw(",\"cache_write_1h_tokens\":"u8);
        b.Number(usage.CacheWrite1hTokens);
        if (!usage.IsTextOnly)
        {
            // As UsageCounts is serialized: the other counts only when not zero.
            foreach (var unit in UsageCounts.MediaUnits)
            {
                if (usage[unit] != 0)
                {
                    b.Raw(_countNames[(int)unit]);
                    b.Number(usage[unit]);
                }
            }
        }

        b.Raw("},\"usage_shape\":"u8);
        b.Raw(_shapes[(int)shape]);
        var prices = CostApi.AppliedPricesOf(cost);
        b.Raw(",\"prices\":{\"input_mtok\":"u8);
        b.Price(prices.Input);
        b.Raw(",\"output_mtok\":"u8);
        b.Price(prices.Output);
        b.Raw(",\"cache_read_mtok\":"u8);
        b.Price(prices.CacheRead);
        b.Raw(",\"cache_write_mtok\":"u8);
        b.Price(prices.CacheWrite);
        b.Raw(",\"cache_write_1h_mtok\":"u8);
        b.Price(prices.CacheWrite1h);
        b.Raw("},\"tools_usd\":"u8);
        b.Money(cost.ToolsUsd);
        b.Raw(",\"service_tier\":"u8);
        b.String(cost.ServiceTier);
        b.Raw(",\"region\":"u8);
        b.String(cost.Region);
        b.Raw(",\"unpriced\":["u8);
        separator = false;
        foreach (var field in unpriced)
        {
            b.Item(ref separator);
            b.Raw("{\"field\":"u8);
            b.String(field.Field);
            b.Raw(",\"count\":"u8);
            b.Number(field.Count);
            b.Raw("}"u8);
        }

        b.Raw("],\"units\":["u8);
        separator = false;
        Span<ChargedUnit> units = stackalloc ChargedUnit[UsageUnits.Count];
        foreach (var unit in units[..CostCalculator.Units(cost, units)])
        {
            b.Item(ref separator);
            b.Raw("{\"unit\":"u8);
            b.Raw(_unitNames[(int)unit.Unit]);
            b.Raw(",\"count\":"u8);
            b.Number(unit.Count);
            b.Raw(",\"price_key\":"u8);
            b.Raw(_priceKeys[(int)unit.Unit]);
            b.Raw(",\"price\":"u8);
            b.Price(unit.Price);
            b.Raw(",\"usd\":"u8);
            b.Money(unit.Usd);
            b.Raw("}"u8);
        }

        b.Raw("]}"u8);
    }

    /// <summary>The engine's catalogue version, encoded and quoted once per engine (a reloaded catalogue is another engine).</summary>
    private byte[] VersionOf(PricingEngine engine)
    {
        var version = _version;
        if (version is null || !ReferenceEquals(version.Engine, engine))
        {
            _version = version = new EncodedVersion(engine, Quoted(JsonEncodedText.Encode(engine.Version, Options.Encoder)));
        }

        return version.Text;
    }

    /// <summary>The wire word of each value, by the value as an index (the enums are numbered from 0 without gaps), encoded and quoted.</summary>
    private static byte[][] Encoded<T>(T[] values, Func<T, string> word, JsonSerializerOptions options) where T : struct, Enum
    {
        var encoded = new byte[values.Length][];
        foreach (var value in values)
        {
            encoded[Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)] = Quoted(JsonEncodedText.Encode(word(value), options.Encoder));
        }

        return encoded;
    }

    private static byte[] Quoted(JsonEncodedText text) => [(byte)'"', .. text.EncodedUtf8Bytes, (byte)'"'];

    private sealed record EncodedVersion(PricingEngine Engine, byte[] Text);
}

/// <summary>How much of each cost a batch answers with (<c>?answer=</c>).</summary>
public enum CostAnswerForm
{
    /// <summary>The whole <see cref="CostResponse"/> (the default).</summary>
    Full,

    /// <summary>Only the fields of <see cref="CostCompactResponse"/>.</summary>
    Compact,
}
