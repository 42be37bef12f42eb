using System.Diagnostics;

namespace Catalog.Api.Telemetry;

/// <summary>
/// One log line per request answered 4xx or 5xx: method, path (never the query string or a header, so never a
/// key), status, time taken and the trace id, which finds the request's trace when traces are exported.
/// Client errors are Information, server errors Error.
/// </summary>
public static partial class FailedRequestLogging
{
    /// <summary>Outermost, so it sees the status the error handler finally chose.</summary>
    public static IApplicationBuilder UseFailedRequestLogging(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(FailedRequestLogging).FullName!);
        return app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                var status = context.Response.StatusCode;
                if (status >= 400)
                {
                    Log(
                        logger,
                        status >= 500 ? LogLevel.Error : LogLevel.Information,
                        context.Request.Method,
                        context.Request.Path.Value ?? string.Empty,
                        status,
                        Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1),
                        Activity.Current?.TraceId.ToHexString() ?? context.TraceIdentifier);
                }
            }
        });
    }

    [LoggerMessage(EventId = 1, EventName = "FailedRequest", Message = "{Method} {Path} answered {StatusCode} in {ElapsedMs} ms, trace {TraceId}")]
    private static partial void Log(ILogger logger, LogLevel level, string method, string path, int statusCode, double elapsedMs, string traceId);
}
