using Catalog.Pricing;
using Microsoft.Extensions.Configuration.Memory;
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
        // appsettings.json's log levels, below every other source: a release binary runs without that file and
        // would otherwise log two lines for every request at Information.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            },
        });
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName, serviceVersion: ProductVersion.Current))
            .WithMetrics(metrics => metrics
                .AddCatalogMeter()
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddPrometheusExporter(options => options.ScrapeResponseCacheDurationMilliseconds = 0));

        // Traces only go somewhere over OTLP: without it, recording spans would cost every request for nothing
        // (the trace id in the logs and problems needs no tracer: ASP.NET Core starts the request's activity).
        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable]))
        {
            telemetry
                .WithTracing(tracing => tracing
                    .AddAspNetCoreInstrumentation(options => options.Filter = context => !IsProbe(context.Request.Path))
                    .AddHttpClientInstrumentation())
                .UseOtlpExporter();
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
