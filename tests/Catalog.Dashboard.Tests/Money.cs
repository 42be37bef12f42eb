using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;

namespace Catalog.Dashboard.Tests;

/// <summary>What a person reads on the pages, computed from the API's JSON: money, counts, a node's text.</summary>
internal static class Money
{
    /// <summary>
    /// An amount as the pages show it: cents from $0.10 up ($1,234.57), below that 4 significant digits
    /// ($0.00945), $0 for zero; half away from zero, as the browser's Intl.NumberFormat rounds.
    /// </summary>
    public static string Read(decimal amount)
    {
        if (amount == 0)
        {
            return "$0";
        }

        var size = Math.Abs(amount);
        var sign = amount < 0 ? "-" : string.Empty;
        if (size >= 0.1m)
        {
            return sign + "$" + Math.Round(size, 2, MidpointRounding.AwayFromZero).ToString("N2", CultureInfo.InvariantCulture);
        }

        var places = 3 - (int)Math.Floor(Math.Log10((double)size));
        var rounded = Math.Round(size, places, MidpointRounding.AwayFromZero);
        return sign + "$" + rounded.ToString("0.############################", CultureInfo.InvariantCulture);
    }

    public static string Read(JsonElement amount) => Read(decimal.Parse(amount.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture));

    /// <summary>The exact amount, as the API sent it: what the pages put on hover.</summary>
    public static string Exact(JsonElement amount) => "$" + amount.GetRawText();

    public static string Count(JsonElement element, string property) => element.GetProperty(property).GetInt64().ToString("N0", CultureInfo.InvariantCulture);

    public static async Task<string> Text(IPage page, string selector) => (await page.Locator(selector).TextContentAsync())!.Trim();
}
