using Catalog.Pricing;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Catalog.Api.Telemetry;

/// <summary>
/// Metrics and traces with OpenTelemetry: ASP.NET Core and HttpClient instrumentation plus
/// <see cref="CatalogMetrics"/>, scraped at <c>/metrics</c> (Prometheus text format) and sent over OTLP
/// when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the exporter reads the other <c>OTEL_*</c> variables).
/// </summary>
public static class TelemetryServices
{
    public const string ServiceName = "catalog-api";

    public const string MetricsPath = "/metrics";

    private const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName, serviceVersion: ProductVersion.Current))
            .WithMetrics(metrics => metrics
                .AddCatalogMeter()
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddPrometheusExporter(options => options.ScrapeResponseCacheDurationMilliseconds = 0))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !IsProbe(context.Request.Path))
                .AddHttpClientInstrumentation());
        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable]))
        {
            telemetry.UseOtlpExporter();
        }

        return builder;
    }

    /// <summary><c>/metrics</c>, open like the health checks and left out of the OpenAPI document.</summary>
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder app)
    {
        app.MapPrometheusScrapingEndpoint(MetricsPath).ExcludeFromDescription();
        return app;
    }

    /// <summary>Scrapes and health probes are not traced: they would drown the requests worth seeing.</summary>
    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments(MetricsPath) || path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz");
}
