namespace Catalog.Api.Features.Dashboard;

public static class DashboardApi
{
    /// <summary>The dashboard's pages (static files under wwwroot/dashboard); "/" redirects to the first.</summary>
    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => TypedResults.Redirect("/dashboard")).ExcludeFromDescription();
        app.MapGet("/dashboard", (IWebHostEnvironment environment) => ServePage(environment, "index.html")).ExcludeFromDescription();
        app.MapGet("/dashboard/logs", (IWebHostEnvironment environment) => ServePage(environment, "logs.html")).ExcludeFromDescription();
        return app;
    }

    public static IResult ServePage(IWebHostEnvironment environment, string file)
    {
        var page = environment.WebRootFileProvider.GetFileInfo($"dashboard/{file}");
        return page.Exists
            ? TypedResults.Stream(page.CreateReadStream(), "text/html; charset=utf-8")
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Dashboard not found", detail: $"wwwroot/dashboard/{file} is missing from this build; run the service with 'dotnet run --project src/Catalog.Api' or publish it.");
    }
}
