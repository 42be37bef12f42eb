namespace Catalog.Pricing;

/// <summary>"Did you mean": the nearest known name by edit distance (the generator's own algorithm).</summary>
public static class NameSuggestions
{
    /// <summary>Longer input is not a typo of a name; comparing it would only cost time (edit distance is quadratic).</summary>
    public const int MaxInputLength = 256;

    public static string? Nearest(string input, IEnumerable<string> candidates) =>
        input.Length > MaxInputLength ? null : global::Catalog.Catalogue.Parsing.Suggestions.Nearest(input, candidates);
}
