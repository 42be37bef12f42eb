using System.Globalization;
using System.Text.Json;
using Catalog.Cli.LiteLlm;
using Catalog.Catalogue;
using Catalog.Catalogue.Model;
using Catalog.Catalogue.Parsing;

namespace Catalog.Cli.GenAiPrices;

/// <summary>
/// One model of genai-prices' data.json, read into what the catalogue can state: a price block (text and
/// cache prices, cliff tiers), start-date history, a per-request fee, and match names and prefixes.
/// Everything else is kept in <see cref="Unexpressible"/> (prices) or <see cref="UnexpressibleMatch"/> (rules).
/// </summary>
internal sealed record GenAiPricesModel(
    string Id,
    string? Name,
    bool Deprecated,
    PriceBlock Prices,
    IReadOnlyList<HistoryDoc> History,
    decimal PerRequestUsd,
    IReadOnlyList<string> Names,
    IReadOnlyList<string> Prefixes,
    IReadOnlyList<string> Contains,
    IReadOnlyList<string> Unexpressible,
    IReadOnlyList<string> UnexpressibleMatch,
    JsonElement Match)
{
    /// <summary>The catalogue's price fields genai-prices has, in the catalogue's order (no 1-hour cache write there).</summary>
    private static readonly string[] PriceKeys = ["input_mtok", "output_mtok", "cache_read_mtok", "cache_write_mtok"];

    /// <summary>The schema-2 prices genai-prices has (audio); imported when the catalogue is schema 2 and the price is flat.</summary>
    private static readonly string[] UnitKeys = ["input_audio_mtok", "cache_audio_read_mtok", "output_audio_mtok"];

    /// <summary>True when a price set (or an earlier one) states a schema-2 price, which a schema-1 catalogue cannot.</summary>
    public bool NeedsSchema2 => Prices.UnitPrices.Count > 0 || History.Any(h => h.Prices.UnitPrices.Count > 0);

    public static GenAiPricesModel Read(JsonElement model)
    {
        var id = Text(model, "id") ?? throw new MalformedEntryException("a model has no 'id'");
        var unexpressible = new List<string>();
        var history = new List<HistoryDoc>();
        PriceBlock prices;
        decimal perRequest;
        var source = model.GetProperty("prices");
        if (source.ValueKind == JsonValueKind.Array)
        {
            (prices, perRequest) = ReadConditional(source, history, unexpressible);
        }
        else
        {
            (prices, perRequest) = ReadSet(source, unexpressible);
        }

        var names = new List<string>();
        var prefixes = new List<string>();
        var contains = new List<string>();
        var unexpressibleMatch = new List<string>();
        var match = model.TryGetProperty("match", out var m) ? m.Clone() : default;
        if (match.ValueKind == JsonValueKind.Object)
        {
            ReadMatch(match, names, prefixes, contains, unexpressibleMatch);
        }

        return new GenAiPricesModel(
            id,
            Text(model, "name"),
            model.TryGetProperty("deprecated", out var deprecated) && deprecated.ValueKind == JsonValueKind.True,
            prices,
            history,
            perRequest,
            names.Distinct(StringComparer.Ordinal).ToList(),
            prefixes.Distinct(StringComparer.Ordinal).ToList(),
            contains.Distinct(StringComparer.Ordinal).ToList(),
            unexpressible,
            unexpressibleMatch,
            match);
    }

    /// <summary>
    /// genai-prices' own rule (its ModelInfo.is_match): the name, lower-cased, against the clause tree.
    /// </summary>
    public bool IsMatch(string name) => Match.ValueKind == JsonValueKind.Object && Matches(Match, name.ToLowerInvariant());

    private static bool Matches(JsonElement clause, string name)
    {
        foreach (var property in clause.EnumerateObject())
        {
            var value = property.Value;
            return property.Name switch
            {
                "equals" => name == value.GetString(),
                "starts_with" => name.StartsWith(value.GetString()!, StringComparison.Ordinal),
                "ends_with" => name.EndsWith(value.GetString()!, StringComparison.Ordinal),
                "contains" => name.Contains(value.GetString()!, StringComparison.Ordinal),
                "regex" => System.Text.RegularExpressions.Regex.IsMatch(name, value.GetString()!, System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromMilliseconds(100)),
                "or" => value.EnumerateArray().Any(c => Matches(c, name)),
                "and" => value.EnumerateArray().All(c => Matches(c, name)),
                _ => false,
            };
        }

        return false;
    }

    /// <summary>A list of <c>{constraint, prices}</c>: start dates become history; a time-of-day window cannot be stated (schema 1).</summary>
    private static (PriceBlock Prices, decimal PerRequest) ReadConditional(JsonElement list, List<HistoryDoc> history, List<string> unexpressible)
    {
        var sets = new List<(string? Start, PriceBlock Prices, decimal PerRequest)>();
        foreach (var item in list.EnumerateArray())
        {
            var constraint = item.TryGetProperty("constraint", out var c) && c.ValueKind == JsonValueKind.Object ? c : default;
            var (prices, perRequest) = ReadSet(item.GetProperty("prices"), unexpressible);
            if (constraint.ValueKind == JsonValueKind.Undefined)
            {
                sets.Add((null, prices, perRequest));
            }
            else if (Text(constraint, "start_date") is { } start)
            {
                sets.Add((start, prices, perRequest));
            }
            else
            {
                unexpressible.Add($"prices between {Text(constraint, "start_time") ?? "?"} and {Text(constraint, "end_time") ?? "?"} each day ({YamlDescribe(prices)})");
            }
        }

        if (sets.Count == 0)
        {
            throw new MalformedEntryException("'prices' lists no price set without a time-of-day constraint");
        }

        for (var i = 0; i + 1 < sets.Count; i++)
        {
            var until = sets[i + 1].Start ?? throw new MalformedEntryException("only the first conditional price may be without a start date");
            history.Add(new HistoryDoc(until, sets[i].Prices));
        }

        if (sets.Select(s => s.PerRequest).Distinct().Count() > 1)
        {
            unexpressible.Add("a per-request price that changes over time (the latest is kept)");
        }

        return (sets[^1].Prices, sets[^1].PerRequest);
    }

    private static (PriceBlock Prices, decimal PerRequest) ReadSet(JsonElement set, List<string> unexpressible)
    {
        if (set.ValueKind != JsonValueKind.Object)
        {
            throw new MalformedEntryException($"'prices' is {set.ValueKind.ToString().ToLowerInvariant()}, not an object");
        }

        var bases = new decimal?[PriceKeys.Length];
        var tiers = new List<(int Field, long Start, decimal Price)>();
        var perRequest = 0m;
        var units = new List<UnitPriceDoc>();
        foreach (var property in set.EnumerateObject())
        {
            var field = Array.IndexOf(PriceKeys, property.Name);
            if (property.Name == "requests_kcount")
            {
                perRequest = Decimal(property.Value, property.Name) / 1000m;
            }
            else if (Array.IndexOf(UnitKeys, property.Name) >= 0 && property.Value.ValueKind == JsonValueKind.Number)
            {
                units.Add(new UnitPriceDoc(property.Name, Decimal(property.Value, property.Name)));
            }
            else if (field < 0)
            {
                unexpressible.Add($"{property.Name} {property.Value.GetRawText()}");
            }
            else if (property.Value.ValueKind == JsonValueKind.Object)
            {
                bases[field] = Decimal(property.Value.GetProperty("base"), property.Name);
                foreach (var tier in property.Value.GetProperty("tiers").EnumerateArray())
                {
                    tiers.Add((field, tier.GetProperty("start").GetInt64(), Decimal(tier.GetProperty("price"), property.Name)));
                }
            }
            else
            {
                bases[field] = Decimal(property.Value, property.Name);
            }
        }

        // genai-prices leaves out what it does not charge: a free model has no prices at all.
        var block = new PriceBlock(bases[0] ?? 0m, bases[1] ?? 0m, bases[2], bases[3], null, EquatableArray<TierDoc>.Empty)
        {
            // In the catalogue's order of keys, as the parser keeps them.
            UnitPrices = new EquatableArray<UnitPriceDoc>(units.OrderBy(u => Array.IndexOf(CatalogKeys.UnitPriceFields, u.Key)).ToArray()),
        };
        return (block with { Tiers = Tiers(tiers) }, perRequest);
    }

    /// <summary>
    /// Per-field tiers (genai-prices: above <c>start</c> total input tokens, every token of that kind costs the tier
    /// price) as the catalogue's cliff tiers, which share thresholds: one tier per distinct start, each field at
    /// its price for that many tokens, a field without tiers left to its base price.
    /// </summary>
    private static EquatableArray<TierDoc> Tiers(List<(int Field, long Start, decimal Price)> tiers)
    {
        var result = new List<TierDoc>();
        var tiered = tiers.Select(t => t.Field).ToHashSet();
        foreach (var start in tiers.Select(t => t.Start).Distinct().Order())
        {
            var values = new decimal?[PriceKeys.Length];
            foreach (var field in tiered)
            {
                values[field] = tiers.Where(t => t.Field == field && t.Start <= start).OrderBy(t => t.Start).Select(t => (decimal?)t.Price).LastOrDefault();
            }

            result.Add(new TierDoc(start, new PriceBlock(values[0], values[1], values[2], values[3], null, EquatableArray<TierDoc>.Empty)));
        }

        return new EquatableArray<TierDoc>(result.ToArray());
    }

    private static void ReadMatch(JsonElement clause, List<string> names, List<string> prefixes, List<string> contains, List<string> unexpressible)
    {
        foreach (var property in clause.EnumerateObject())
        {
            switch (property.Name)
            {
                case "equals":
                    names.Add(property.Value.GetString()!);
                    break;
                case "starts_with":
                    prefixes.Add(property.Value.GetString()!);
                    break;
                case "contains":
                    contains.Add(property.Value.GetString()!);
                    break;
                case "or":
                    foreach (var item in property.Value.EnumerateArray())
                    {
                        ReadMatch(item, names, prefixes, contains, unexpressible);
                    }

                    break;
                default:
                    unexpressible.Add($"{property.Name} {property.Value.GetRawText()}");
                    break;
            }
        }
    }

    private static decimal Decimal(JsonElement value, string key)
    {
        if (value.ValueKind != JsonValueKind.Number
            || !decimal.TryParse(value.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            throw new MalformedEntryException($"'{key}' is {value.GetRawText()}, not a number");
        }

        return number >= 0 ? number : throw new MalformedEntryException($"'{key}' is {value.GetRawText()}; a price cannot be negative");
    }

    private static string YamlDescribe(PriceBlock prices) => Catalogue.YamlText.Describe(prices);

    private static string? Text(JsonElement element, string key) => LiteLlmEntry.Text(element, key);
}
