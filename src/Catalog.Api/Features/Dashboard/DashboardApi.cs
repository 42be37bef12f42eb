namespace Catalog.Api.Features.Dashboard;

public static class DashboardApi
{
    /// <summary>The dashboard page (static files under wwwroot/dashboard); "/" redirects to it.</summary>
    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => TypedResults.Redirect("/dashboard")).ExcludeFromDescription();
        app.MapGet("/dashboard", ServePage).ExcludeFromDescription();
        return app;
    }

    public static IResult ServePage(IWebHostEnvironment environment)
    {
        var page = environment.WebRootFileProvider.GetFileInfo("dashboard/index.html");
        return page.Exists
            ? TypedResults.Stream(page.CreateReadStream(), "text/html; charset=utf-8")
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Dashboard not found", detail: "wwwroot/dashboard/index.html is missing from this build; run the service with 'dotnet run --project src/Catalog.Api' or publish it.");
    }
}
