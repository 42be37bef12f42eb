using Microsoft.Playwright;

namespace Catalog.Dashboard.Tests;

internal static class PageLoads
{
    /// <summary>
    /// Waits until the page has loaded its data again after <paramref name="loaded"/> (its <c>data-loaded</c> before).
    /// A selector, not WaitForFunctionAsync: that evaluates a string, which the page's Content-Security-Policy forbids.
    /// </summary>
    public static Task WaitForReloadAsync(this IPage page, string? loaded) =>
        page.WaitForSelectorAsync($"body:not([data-loaded='{loaded}'])");
}
