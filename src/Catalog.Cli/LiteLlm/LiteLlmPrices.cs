using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Catalog.Catalogue;
using Catalog.Catalogue.Model;

namespace Catalog.Cli.LiteLlm;

/// <summary>An entry that cannot be read (a price that is not a number, a negative price): reported, and the rest goes on.</summary>
internal sealed class MalformedEntryException(string message) : Exception(message);

/// <summary>
/// LiteLLM's per-token prices (the model map's entries and a proxy's <c>model_info</c> use the same
/// keys) as a catalogue price block in USD per million tokens. Numbers are read from their JSON text
/// as decimals, so 3e-06 becomes exactly 3.
/// </summary>
internal static partial class LiteLlmPrices
{
    public const string Input = "input_cost_per_token";
    public const string Output = "output_cost_per_token";
    public const string CacheRead = "cache_read_input_token_cost";
    public const string CacheWrite = "cache_creation_input_token_cost";
    public const string CacheWrite1h = "cache_creation_input_token_cost_above_1hr";

    private const decimal PerMillion = 1_000_000m;

    /// <summary>LiteLLM's keys in the order of the catalogue's price fields (input, output, cache read, cache write, 1-hour cache write).</summary>
    private static readonly string[] Keys = [Input, Output, CacheRead, CacheWrite, CacheWrite1h];

    /// <summary>The prices, or null with <paramref name="missing"/> saying why there are none to import.</summary>
    public static PriceBlock? Read(JsonElement entry, out string? missing)
    {
        var prices = ReadBlock(entry, suffix: string.Empty);
        if (prices.InputMtok is null || prices.OutputMtok is null)
        {
            missing = "no per-token input and output prices";
            return null;
        }

        if (prices.InputMtok == 0m && prices.OutputMtok == 0m)
        {
            missing = "input and output prices are 0";
            return null;
        }

        var tiers = TierThresholds(entry)
            .Select(k => new TierDoc(k * 1000L, ReadBlock(entry, $"_above_{k.ToString(CultureInfo.InvariantCulture)}k_tokens")))
            .ToArray();
        missing = null;
        return prices with { Tiers = new EquatableArray<TierDoc>(tiers) };
    }

    /// <summary>Thresholds in thousands of prompt tokens, from <c>input_cost_per_token_above_200k_tokens</c> and the like (LiteLLM keys its tiers on the input price).</summary>
    private static IEnumerable<long> TierThresholds(JsonElement entry) =>
        entry.EnumerateObject()
            .Select(p => TierKey().Match(p.Name))
            .Where(m => m.Success)
            .Select(m => long.Parse(m.Groups["k"].Value, CultureInfo.InvariantCulture))
            .Distinct()
            .Order();

    private static PriceBlock ReadBlock(JsonElement entry, string suffix)
    {
        var values = Keys.Select(k => Mtok(entry, k + suffix)).ToArray();
        return new PriceBlock(values[0], values[1], values[2], values[3], values[4], EquatableArray<TierDoc>.Empty);
    }

    private static decimal? Mtok(JsonElement entry, string key)
    {
        if (!entry.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var text = value.GetRawText();
        if (value.ValueKind != JsonValueKind.Number)
        {
            throw new MalformedEntryException($"'{key}' is {text}, not a number");
        }

        if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var perToken) || Math.Abs(perToken) > 1_000_000m)
        {
            throw new MalformedEntryException($"'{key}' is {text}, which is out of range for a price");
        }

        if (perToken < 0)
        {
            throw new MalformedEntryException($"'{key}' is {text}; a price cannot be negative");
        }

        return perToken * PerMillion;
    }

    [GeneratedRegex(@"^input_cost_per_token_above_(?<k>[0-9]{1,6})k_tokens$", RegexOptions.CultureInvariant)]
    private static partial Regex TierKey();
}
