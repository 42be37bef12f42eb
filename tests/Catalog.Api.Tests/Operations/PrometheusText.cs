using System.Globalization;
using System.Text.RegularExpressions;

namespace Catalog.Api.Tests.Operations;

/// <summary>A scrape of <c>/metrics</c> in the Prometheus text format: samples by name and labels.</summary>
public sealed partial class PrometheusText(string text)
{
    public string Text { get; } = text;

    public static async Task<PrometheusText> ScrapeAsync(HttpClient http)
    {
        var response = await http.GetAsync("/metrics");
        response.EnsureSuccessStatusCode();
        return new PrometheusText(await response.Content.ReadAsStringAsync());
    }

    /// <summary>The sum of the samples named <paramref name="name"/> whose labels include every one of <paramref name="labels"/> (<c>key="value"</c>).</summary>
    public double Sum(string name, params string[] labels) =>
        Samples(name).Where(s => labels.All(l => s.Labels.Contains(l, StringComparison.Ordinal))).Sum(s => s.Value);

    public IEnumerable<(string Labels, double Value)> Samples(string name)
    {
        foreach (Match match in Sample().Matches(Text))
        {
            if (match.Groups["name"].Value == name)
            {
                yield return (match.Groups["labels"].Value, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture));
            }
        }
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>[-+0-9.eE]+|NaN|\+Inf)( \d+)?$", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
