using System.Globalization;
using System.Text.RegularExpressions;
using Catalog.Catalogue.Model;
using Catalog.Catalogue.Parsing;

namespace Catalog.Cli.Catalogue;

/// <summary>A model the tools add to a provider's list.</summary>
internal sealed record NewModel(string Provider, string Id, PriceBlock Prices, string Source, DateOnly Checked, string Comment, string? Notes = null)
{
    public string FullName => Provider + "/" + Id;

    /// <summary>Display name, written as <c>name:</c>.</summary>
    public string? Name { get; init; }

    /// <summary>False writes <c>active: false</c> (a model its provider has retired).</summary>
    public bool Active { get; init; } = true;

    public IReadOnlyList<string> MatchNames { get; init; } = [];

    public IReadOnlyList<string> MatchPrefixes { get; init; } = [];

    /// <summary>Earlier price sets, oldest first.</summary>
    public IReadOnlyList<HistoryDoc> History { get; init; } = [];

    public decimal PerRequestUsd { get; init; }

    /// <summary>The entry as YAML lines, indented from the list's '-' column.</summary>
    public IReadOnlyList<string> ToYaml()
    {
        var lines = new List<string> { "# " + Comment, "- id: " + YamlText.Scalar(Id) };
        if (Name is not null)
        {
            lines.Add("  name: " + YamlText.Scalar(Name));
        }

        if (!Active)
        {
            lines.Add("  active: false");
        }

        if (MatchNames.Count > 0 || MatchPrefixes.Count > 0)
        {
            var rules = new List<string>();
            if (MatchPrefixes.Count > 0)
            {
                rules.Add("prefixes: " + YamlText.FlowList(MatchPrefixes));
            }

            if (MatchNames.Count > 0)
            {
                rules.Add("names: " + YamlText.FlowList(MatchNames));
            }

            lines.Add("  match: { " + string.Join(", ", rules) + " }");
        }

        lines.Add("  source: " + YamlText.Scalar(Source));
        lines.Add("  checked: " + Checked.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        if (Notes is not null)
        {
            lines.Add("  notes: " + YamlText.Quoted(Notes));
        }

        if (YamlText.LooksLikeUnitMistake(Prices) || History.Any(h => YamlText.LooksLikeUnitMistake(h.Prices)))
        {
            // The figure is what the source states; without this the build would take it for a unit mistake.
            lines.Add("  price_confirmed: true");
        }

        lines.AddRange(YamlText.Prices(Prices).Select(l => "  " + l));
        if (PerRequestUsd != 0m)
        {
            lines.Add("  per_request_usd: " + YamlText.Number(PerRequestUsd));
        }

        if (History.Count > 0)
        {
            lines.Add("  history:");
            lines.AddRange(History.SelectMany(YamlText.HistoryEntry).Select(l => "    " + l));
        }

        return lines;
    }
}

/// <summary>A provider the tools add, with its models.</summary>
internal sealed record NewProvider(string Id, string Name, string Source, DateOnly Checked, string Comment, IReadOnlyList<NewModel> Models)
{
    /// <summary>The provider as YAML lines, indented from the providers list's '-' column.</summary>
    public IReadOnlyList<string> ToYaml()
    {
        var lines = new List<string>
        {
            "# " + Comment,
            "- id: " + YamlText.Scalar(Id),
            "  name: " + YamlText.Scalar(Name),
            "  source: " + YamlText.Scalar(Source),
            "  checked: " + Checked.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            "  models:",
        };
        foreach (var model in Models)
        {
            if (lines[^1] != "  models:")
            {
                lines.Add(string.Empty);
            }

            lines.AddRange(model.ToYaml().Select(l => "    " + l));
        }

        return lines;
    }
}

/// <summary>An alias the tools add to the 'aliases' list.</summary>
internal sealed record NewAlias(string Name, string Target, string Comment)
{
    public IReadOnlyList<string> ToYaml() =>
        ["# " + Comment, "- name: " + YamlText.Scalar(Name), "  target: " + YamlText.Scalar(Target)];
}

/// <summary>Values written the way pricing.yaml writes them: plain decimals, flow price blocks unless tiered.</summary>
internal static partial class YamlText
{
    public static string Number(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);

    public static string Scalar(string text) =>
        PlainSafe().IsMatch(text) && text is not ("null" or "true" or "false") ? text : Quoted(text);

    public static string Quoted(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    public static IEnumerable<string> Prices(PriceBlock prices)
    {
        if (prices.Tiers.Count == 0)
        {
            yield return "prices: { " + string.Join(", ", Fields(prices).Select(f => $"{f.Key}: {Number(f.Value)}")) + " }";
            yield break;
        }

        yield return "prices:";
        foreach (var (key, value) in Fields(prices))
        {
            yield return $"  {key}: {Number(value)}";
        }

        yield return "  tiers:";
        foreach (var tier in prices.Tiers)
        {
            yield return "    - above_input_tokens: " + tier.AboveInputTokens.ToString(CultureInfo.InvariantCulture);
            foreach (var (key, value) in Fields(tier.Prices))
            {
                yield return $"      {key}: {Number(value)}";
            }
        }
    }

    /// <summary>A history entry: one flow line, or a block when it has tiers.</summary>
    public static IEnumerable<string> HistoryEntry(HistoryDoc entry)
    {
        if (entry.Prices.Tiers.Count == 0)
        {
            yield return "- { until: " + entry.Until + string.Concat(Fields(entry.Prices).Select(f => $", {f.Key}: {Number(f.Value)}")) + " }";
            yield break;
        }

        yield return "- until: " + entry.Until;
        foreach (var line in Prices(entry.Prices).Skip(1))
        {
            yield return line;
        }
    }

    public static string FlowList(IEnumerable<string> items) => "[" + string.Join(", ", items.Select(FlowScalar)) + "]";

    /// <summary>A scalar inside a flow collection, where ',', brackets, braces and ':' are quoted (as the hand-written file does).</summary>
    private static string FlowScalar(string text) => text.IndexOfAny([',', '[', ']', '{', '}', ':', '#']) < 0 ? Scalar(text) : Quoted(text);

    /// <summary>The price fields that have a value, in the catalogue's order.</summary>
    public static IEnumerable<KeyValuePair<string, decimal>> Fields(PriceBlock prices)
    {
        foreach (var key in CatalogKeys.PriceFields)
        {
            if (prices[key] is { } value)
            {
                yield return new(key, value);
            }
        }
    }

    /// <summary>A one-line summary such as <c>input_mtok 3, output_mtok 15, 1 tier</c>.</summary>
    public static string Describe(PriceBlock prices) =>
        string.Join(", ", Fields(prices).Select(f => $"{f.Key} {Number(f.Value)}"))
        + (prices.Tiers.Count switch { 0 => string.Empty, 1 => ", 1 tier", var n => $", {n} tiers" });

    public static bool LooksLikeUnitMistake(PriceBlock prices) =>
        Fields(prices).Concat(prices.Tiers.SelectMany(t => Fields(t.Prices)))
            .Any(f => f.Value != 0m && (f.Value < CatalogParser.LowestPlausibleMtok || f.Value > CatalogParser.HighestPlausibleMtok));

    // Ids, names and URLs without spaces stay plain, as in the hand-written file; a trailing ':' would start a mapping.
    [GeneratedRegex(@"^[A-Za-z0-9]([A-Za-z0-9/._\-:@~?=&%+#]*[A-Za-z0-9/._\-@~?=&%+#])?$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainSafe();
}
