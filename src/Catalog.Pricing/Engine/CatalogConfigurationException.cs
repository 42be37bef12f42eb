namespace Catalog.Pricing;

/// <summary>The catalogue cannot be used as configured (for example an environment override is not a price).</summary>
public sealed class CatalogConfigurationException(string message) : Exception(message);
