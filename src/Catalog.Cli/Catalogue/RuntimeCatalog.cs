using Catalog.Catalogue.Model;
using Catalog.Pricing;

namespace Catalog.Cli.Catalogue;

/// <summary>
/// A parsed catalogue file as an engine, so the tools price with the catalogue on disk rather than the one
/// compiled into Catalog.Pricing; through <see cref="CatalogMapping"/>, the mapping the compiled table uses.
/// </summary>
internal static class RuntimeCatalog
{
    public static PricingEngine Engine(CatalogDoc doc) => new(CatalogMapping.FromDoc(doc), _ => null);
}
