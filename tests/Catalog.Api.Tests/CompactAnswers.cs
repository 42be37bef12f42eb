using System.Text.Json;

namespace Catalog.Api.Tests;

/// <summary>What <c>POST /v1/cost/batch?answer=compact</c> must be beside the full answer to the same items.</summary>
internal static class CompactAnswers
{
    /// <summary>The fields of a compact cost, in the order they are written (<c>CostCompactResponse</c>).</summary>
    public static readonly string[] Fields = ["model", "provider", "pricing_source", "input_usd", "output_usd", "total_usd", "currency"];

    /// <summary>
    /// The same counts; each compact cost has exactly <see cref="Fields"/>, each the same JSON text as in the full cost;
    /// each problem is the same problem. Returns how many costs and problems were compared.
    /// </summary>
    public static (int Costs, int Problems) AssertSameValues(string full, string compact)
    {
        using var fullDocument = JsonDocument.Parse(full);
        using var compactDocument = JsonDocument.Parse(compact);
        var (f, c) = (fullDocument.RootElement, compactDocument.RootElement);
        Assert.Equal(["results", "priced", "failed"], c.EnumerateObject().Select(p => p.Name));
        Assert.Equal(f.GetProperty("priced").GetRawText(), c.GetProperty("priced").GetRawText());
        Assert.Equal(f.GetProperty("failed").GetRawText(), c.GetProperty("failed").GetRawText());
        var fullResults = f.GetProperty("results").EnumerateArray().ToArray();
        var compactResults = c.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(fullResults.Length, compactResults.Length);
        var (costs, problems) = (0, 0);
        foreach (var (whole, part) in fullResults.Zip(compactResults))
        {
            if (whole.TryGetProperty("status", out _))
            {
                Assert.Equal(whole.GetRawText(), part.GetRawText());
                problems++;
                continue;
            }

            Assert.Equal(Fields, part.EnumerateObject().Select(p => p.Name));
            foreach (var field in Fields)
            {
                Assert.Equal(whole.GetProperty(field).GetRawText(), part.GetProperty(field).GetRawText());
            }

            costs++;
        }

        return (costs, problems);
    }
}
