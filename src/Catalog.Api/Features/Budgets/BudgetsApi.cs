using System.Security.Cryptography;
using System.Text.Json;
using Catalog.Api.Features.Keys;
using Catalog.Api.Http;
using Catalog.Ledger.Budgets;

namespace Catalog.Api.Features.Budgets;

public static class BudgetsApi
{
    public const int MaxNameLength = 128;
    private static readonly string[] Fields = ["name", "period", "amount_usd", "scope", "warning_share"];

    public static WebApplicationBuilder AddBudgets(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<BudgetTracker>();
        builder.Services.AddSingleton<BudgetBook>();
        return builder;
    }

    public static IEndpointRouteBuilder MapBudgets(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/budgets").WithTags("Budgets").RequireRateLimiting(ApiKeys.RateLimitPolicy);
        group.MapPost("/", CreateBudget)
            .RequireAuthorization(ApiKeys.Admin)
            .WithName("CreateBudget")
            .WithSummary("Create a monthly or daily budget for a team, user, app, tag, model, provider or endpoint")
            .Accepts<CreateBudgetRequest>("application/json")
            .Produces<BudgetStatus>(StatusCodes.Status201Created)
            .ProducesValidationProblem();
        group.MapGet("/", ListBudgets)
            .RequireAuthorization(ApiKeys.Read)
            .WithName("ListBudgets")
            .WithSummary("Every budget with what is spent, what remains, the forecast and the state")
            .Produces<BudgetList>();
        group.MapGet("/{id}", GetBudget)
            .RequireAuthorization(ApiKeys.Read)
            .WithName("GetBudget")
            .WithSummary("One budget and how it stands: a gateway polls this to enforce it")
            .Produces<BudgetStatus>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/{id}", DeleteBudget)
            .RequireAuthorization(ApiKeys.Admin)
            .WithName("DeleteBudget")
            .WithSummary("Delete a budget created through the API (a budget of pricing.yaml is removed there)")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public static Task<IResult> CreateBudget(HttpRequest request, BudgetBook book, TimeProvider clock, CancellationToken cancellationToken)
    {
        return JsonBody.HandleAsync(request, RequestLimits.BodyBytes, async body =>
        {
            if (body.ValueKind != JsonValueKind.Object)
            {
                return Problems.Validation("body", "send {\"name\": \"search-monthly\", \"period\": \"monthly\", \"amount_usd\": 500, \"scope\": {\"team\": \"search\"}}");
            }

            var errors = new Dictionary<string, string[]>();
            PricingRequestReader.AddUnknownFields(body, string.Empty, Fields, errors);
            var name = PricingRequestReader.Text(body, "name", string.Empty, errors, required: true, MaxNameLength);
            var period = Period(body, errors);
            var amount = Amount(body, "amount_usd", errors, required: true);
            var scope = Scope(body, errors);
            var share = body.TryGetProperty("warning_share", out var shareValue) && shareValue.ValueKind != JsonValueKind.Null ? Share(shareValue, errors) : Budget.DefaultWarningShare;
            if (name is null || period is null || amount is null || scope is null || errors.Count > 0)
            {
                return Problems.Validation(errors);
            }

            var budget = new Budget(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), name, period.Value, amount.Value, scope, share, clock.GetUtcNow(), "api");
            await book.Store.AddAsync(budget, cancellationToken);
            return TypedResults.Created($"/v1/budgets/{budget.Id}", await book.StatusAsync(budget, cancellationToken));
        }, cancellationToken);
    }

    public static async Task<BudgetList> ListBudgets(BudgetBook book, CancellationToken cancellationToken) =>
        new(await book.AllAsync(cancellationToken));

    public static async Task<IResult> GetBudget(string id, BudgetBook book, CancellationToken cancellationToken) =>
        await book.FindAsync(id, cancellationToken) is { } budget
            ? TypedResults.Ok(await book.StatusAsync(budget, cancellationToken))
            : NotFound(id);

    public static async Task<IResult> DeleteBudget(string id, BudgetBook book, CancellationToken cancellationToken)
    {
        if (book.IsCatalogue(id))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "A budget of the catalogue",
                detail: $"Budget '{id}' is defined in pricing.yaml's budgets:, reviewed like prices; remove it there and deploy the new catalogue.");
        }

        return await book.Store.DeleteAsync(id, cancellationToken) ? TypedResults.NoContent() : NotFound(id);
    }

    private static IResult NotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such budget", detail: $"No budget has id '{id}'; GET /v1/budgets lists them.");

    private static BudgetPeriod? Period(JsonElement body, Dictionary<string, string[]> errors)
    {
        var text = PricingRequestReader.Text(body, "period", string.Empty, errors, required: true);
        switch (text)
        {
            case null:
                return null;
            case "monthly":
                return BudgetPeriod.Monthly;
            case "daily":
                return BudgetPeriod.Daily;
            default:
                PricingRequestReader.Add(errors, "period", $"'period' is '{text}'; send monthly or daily (UTC)");
                return null;
        }
    }

    /// <summary>A positive amount in USD, read exactly from the JSON number's text.</summary>
    private static decimal? Amount(JsonElement body, string name, Dictionary<string, string[]> errors, bool required)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                PricingRequestReader.Add(errors, name, $"'{name}' is required: the budget in USD, e.g. 500");
            }

            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var amount) && amount > 0)
        {
            return amount;
        }

        PricingRequestReader.Add(errors, name, $"'{name}' must be a number of USD above 0, e.g. 500");
        return null;
    }

    private static decimal Share(JsonElement value, Dictionary<string, string[]> errors)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var share) && share > 0 && share <= 1)
        {
            return share;
        }

        PricingRequestReader.Add(errors, "warning_share", "'warning_share' is the share of the amount from which the budget is in warning: a number above 0 and at most 1 (default 0.8)");
        return Budget.DefaultWarningShare;
    }

    private static BudgetScope? Scope(JsonElement body, Dictionary<string, string[]> errors)
    {
        var hint = $"'scope' is an object with one of {string.Join(", ", BudgetScope.Dimensions)}, e.g. {{\"team\": \"search\"}} or {{\"tag\": \"feature:summaries\"}}";
        if (!body.TryGetProperty("scope", out var scope) || scope.ValueKind != JsonValueKind.Object || scope.EnumerateObject().Count() != 1)
        {
            PricingRequestReader.Add(errors, "scope", hint);
            return null;
        }

        var property = scope.EnumerateObject().Single();
        if (Array.IndexOf(BudgetScope.Dimensions, property.Name) < 0)
        {
            PricingRequestReader.Add(errors, $"scope.{property.Name}", $"unknown scope '{property.Name}'; {hint}");
            return null;
        }

        var value = PricingRequestReader.Text(scope, property.Name, "scope.", errors, required: true);
        return value is null ? null : BudgetBook.Check(new BudgetScope(property.Name, value), errors);
    }
}

/// <param name="Name">What the budget is for, e.g. search-monthly.</param>
/// <param name="Period">monthly or daily (UTC).</param>
/// <param name="Scope">One of team, user, app, tag (as key:value), model, provider, key_id, endpoint, with its value.</param>
/// <param name="WarningShare">From this share of the amount the budget is in warning (default 0.8).</param>
public sealed record CreateBudgetRequest(string Name, string Period, decimal AmountUsd, Dictionary<string, string> Scope, decimal? WarningShare);

public sealed record BudgetList(IReadOnlyList<BudgetStatus> Items);
