namespace Catalog.Pricing;

/// <summary>
/// Token counts in canonical form: <see cref="InputTokens"/> is every prompt token, cache reads and
/// writes included; the cache counts say how many of them were read from or written to the cache.
/// </summary>
public readonly record struct TokenUsage(
    long InputTokens,
    long OutputTokens,
    long CacheReadTokens = 0,
    long CacheWriteTokens = 0,
    long CacheWrite1hTokens = 0)
{
    /// <summary>Counts above this are not a real request (10^12 tokens).</summary>
    public const long MaxTokens = 1_000_000_000_000;

    public long UncachedInputTokens => InputTokens - CacheReadTokens - CacheWriteTokens - CacheWrite1hTokens;

    public bool IsEmpty => InputTokens == 0 && OutputTokens == 0 && CacheReadTokens == 0 && CacheWriteTokens == 0 && CacheWrite1hTokens == 0;
}
