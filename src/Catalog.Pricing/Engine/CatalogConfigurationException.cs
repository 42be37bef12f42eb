namespace Catalog.Pricing;

/// <summary>
/// The service cannot run as configured: an environment override that is not a price, a setting out of range,
/// a store that cannot be opened. The message names the setting and the fix, in one sentence an operator reads
/// at start-up (the service prints it and exits with code 1).
/// </summary>
public sealed class CatalogConfigurationException : Exception
{
    public CatalogConfigurationException(string message)
        : base(message)
    {
    }

    public CatalogConfigurationException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
