namespace Catalog.Api.Http;

/// <summary>
/// Headers that keep a browser from reading a response as something it is not (every response), and keep the
/// dashboard, the one page that holds a key, from running anything but its own files or being framed by another site.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>The dashboard's own script, style and data only; the favicon is a data: URL.</summary>
    public const string DashboardPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            if (context.Request.Path.StartsWithSegments("/dashboard"))
            {
                headers.ContentSecurityPolicy = DashboardPolicy;
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
            }

            return next(context);
        });
        return app;
    }
}
