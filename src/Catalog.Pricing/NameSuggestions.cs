namespace Catalog.Pricing;

/// <summary>"Did you mean": the nearest known name by edit distance (the generator's own algorithm).</summary>
public static class NameSuggestions
{
    public static string? Nearest(string input, IEnumerable<string> candidates) =>
        Catalog.Generator.Parsing.Suggestions.Nearest(input, candidates);
}
