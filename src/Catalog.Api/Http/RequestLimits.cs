namespace Catalog.Api.Http;

/// <summary>The body sizes every feature accepts: one call (or one key, one alert rule ...), and one batch.</summary>
public static class RequestLimits
{
    public const long BodyBytes = 64 * 1024;
    public const long BatchBodyBytes = 32L * 1024 * 1024;
}
