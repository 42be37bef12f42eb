using System.Collections.Frozen;
using Catalog.Pricing;

namespace Catalog.Ledger;

/// <summary>Enums are stored as their wire names (<c>exact</c>, <c>estimated</c>); this reads them back.</summary>
internal static class StoredNames
{
    private static readonly FrozenDictionary<string, PricingSource> PricingSources =
        Enum.GetValues<PricingSource>().ToFrozenDictionary(s => s.ToWire(), StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, TokenSource> TokenSources =
        Enum.GetValues<TokenSource>().ToFrozenDictionary(s => s.ToWire(), StringComparer.Ordinal);

    private static readonly byte[][] PricingSourceBytes = [.. PricingSources.Keys.Select(System.Text.Encoding.UTF8.GetBytes)];

    private static readonly byte[][] TokenSourceBytes = [.. TokenSources.Keys.Select(System.Text.Encoding.UTF8.GetBytes)];

    public static PricingSource PricingSource(string wire) => PricingSources[wire];

    /// <summary>True when <paramref name="utf8"/> is a pricing source's wire name (what <see cref="PricingSource(string)"/> reads).</summary>
    public static bool IsPricingSource(ReadOnlySpan<byte> utf8) => IsOneOf(PricingSourceBytes, utf8);

    /// <summary>True when <paramref name="utf8"/> is a token source's wire name (what <see cref="TokenSource(string)"/> reads).</summary>
    public static bool IsTokenSource(ReadOnlySpan<byte> utf8) => IsOneOf(TokenSourceBytes, utf8);

    public static TokenSource TokenSource(string wire) => TokenSources[wire];

    public static string Status(CallStatus status) => status == CallStatus.Error ? "error" : "success";

    public static CallStatus Status(string stored) => stored == "error" ? CallStatus.Error : CallStatus.Success;

    private static bool IsOneOf(byte[][] names, ReadOnlySpan<byte> utf8)
    {
        foreach (var name in names)
        {
            if (utf8.SequenceEqual(name))
            {
                return true;
            }
        }

        return false;
    }
}
