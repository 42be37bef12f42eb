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

    public static PricingSource PricingSource(string wire) => PricingSources[wire];

    public static TokenSource TokenSource(string wire) => TokenSources[wire];

    public static string Status(CallStatus status) => status == CallStatus.Error ? "error" : "success";

    public static CallStatus Status(string stored) => stored == "error" ? CallStatus.Error : CallStatus.Success;
}
