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

    /// <summary>
    /// Waits until the page is at <paramref name="path"/> (any query) and that page has loaded its data (its
    /// <c>data-loaded</c> is set). Not WaitForURLAsync: when the URL already matches it waits for the "load" event
    /// whatever WaitUntil says, and after a back-forward-cache restore Playwright can miss that event and wait out its
    /// timeout although the page is there (CI, 2026-12-04, reproduced at load 3; microsoft/playwright-mcp#1635). The
    /// URL is read as Playwright last saw it commit; the page's own signal says it has rendered.
    /// </summary>
    public static async Task WaitForPageAsync(this IPage page, string path)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (new Uri(page.Url).AbsolutePath != path)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the page did not reach {path} in 30 s: it is at {page.Url}");
            }

            await Task.Delay(25);
        }

        await page.WaitForSelectorAsync("body[data-loaded]");
    }

    /// <summary>Goes back to a page of another document, awaited to its commit only (see <see cref="WaitForPageAsync"/>): the caller waits for the page.</summary>
    public static Task GoBackToAnotherPageAsync(this IPage page) => page.GoBackAsync(new() { WaitUntil = WaitUntilState.Commit });
}
