using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Catalog.Api.Features.Health;

/// <summary>
/// <c>GET /healthz</c>: the process answers (no check runs). <c>GET /readyz</c>: the catalogue is loaded and
/// the ledger store answers; 503 naming the failing check otherwise. Both are open (a load balancer or an
/// orchestrator has no key), and say nothing secret: check names, statuses and fixed descriptions only.
/// They are left out of the OpenAPI document, like <c>/metrics</c>: they are for machines, not API clients.
/// </summary>
public static class HealthApi
{
    /// <summary>The tag of the checks <c>/readyz</c> runs.</summary>
    public const string Ready = "ready";

    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    public static WebApplicationBuilder AddHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck<CatalogueHealthCheck>("catalogue", tags: [Ready], timeout: CheckTimeout);
        return builder;
    }

    /// <summary>Adds the ledger store's check (each store registers its own).</summary>
    public static IHealthChecksBuilder AddLedgerCheck<TCheck>(this IServiceCollection services)
        where TCheck : class, IHealthCheck =>
        services.AddHealthChecks().AddCheck<TCheck>("ledger", tags: [Ready], timeout: CheckTimeout);

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .ExcludeFromDescription();
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(Ready), ResponseWriter = WriteAsync })
            .ExcludeFromDescription();
        return app;
    }

    /// <summary><c>{"status": "unhealthy", "checks": [{"name": "ledger", "status": "unhealthy", "description": "...", "duration_ms": 3.1}]}</c>.</summary>
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var answer = new HealthAnswer(
            Name(report.Status),
            report.Entries.Select(e => new HealthCheckAnswer(e.Key, Name(e.Value.Status), e.Value.Description, Math.Round(e.Value.Duration.TotalMilliseconds, 1))).ToArray());
        return JsonSerializer.SerializeAsync(context.Response.Body, answer, HealthJson.Options, context.RequestAborted);
    }

    private static string Name(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };

    private static class HealthJson
    {
        public static readonly JsonSerializerOptions Options = Create();

        private static JsonSerializerOptions Create()
        {
            var options = new JsonSerializerOptions();
            Json.Configure(options);
            return options;
        }
    }
}

public sealed record HealthAnswer(string Status, HealthCheckAnswer[] Checks);

public sealed record HealthCheckAnswer(string Name, string Status, string? Description, double DurationMs);
