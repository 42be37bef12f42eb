namespace Catalog.Pricing;

/// <summary>The catalogue compiled into this build (pricing.yaml, or -p:PricingCatalog=...).</summary>
public static class BuiltInCatalog
{
    public static CatalogData Data => CompiledCatalog.Data;

    public static string Version => CompiledCatalog.Version;

    public static PricingEngine CreateEngine(Func<string, string?>? environment = null) => new(CompiledCatalog.Data, environment);
}
