using Catalog.Api.Features.Cost;
using Catalog.Api.Features.Keys;
using Catalog.Api.Features.Usage;
using Catalog.Api.Http;
using Catalog.Ledger;
using Catalog.Pricing;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Catalog.Api.Features.Endpoints;

/// <summary>Hugging Face Inference Endpoints: billed by uptime per replica, whether or not anyone calls them.</summary>
public static class EndpointsApi
{
    public const long MaxBodyBytes = 256 * 1024;

    /// <summary>The cost window when <c>from</c> is left out: the 30 days before <c>to</c>.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(30);

    public static IEndpointRouteBuilder MapEndpoints(this IEndpointRouteBuilder app)
    {
        // The catalogue's endpoints and estimates are open like /v1/cost; recorded uptime needs a key.
        var group = app.MapGroup("/v1/endpoints").WithTags("Inference Endpoints").RequireRateLimiting(ApiKeys.RateLimitPolicy);
        group.MapGet("/", ListEndpoints)
            .WithName("ListEndpoints")
            .WithSummary("The catalogue's dedicated endpoints with their rates per replica-hour")
            .Produces<ItemList<EndpointInfo>>();
        group.MapPost("/estimate", Estimate)
            .WithName("EstimateEndpoints")
            .WithSummary("Uptime cost per day, week and 30-day month of endpoints on a schedule")
            .WithDescription("Cost = HourlyRate × (HoursRunning × Replicas + ScaleUpHours × AdditionalReplicas), with at least one replica while running. Leave endpoints out for all of them.")
            .Accepts<EstimateRequest>("application/json")
            .Produces<EstimateResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/costs", GetCosts)
            .RequireAuthorization(ApiKeys.Read)
            .WithName("GetEndpointCosts")
            .WithSummary("Actual uptime cost of every endpoint in [from, to) (default: the last 30 days)")
            .AcceptsQuery<TimeRangeQuery>();
        group.MapGet("/warnings", GetWarnings)
            .RequireAuthorization(ApiKeys.Read)
            .WithName("GetEndpointWarnings")
            .WithSummary("Endpoints running idle past their scale-to-zero window, or up around the clock at low use, with the weekly waste and the fix");
        group.MapPost("/{id}/events", RecordEvents)
            .RequireAuthorization(ApiKeys.Ingest)
            .WithName("RecordEndpointEvents")
            .WithSummary("Record status changes as Hugging Face reports them: one event or an array; late events are ordered, duplicates ignored")
            .Accepts<EndpointEventRequest>("application/json")
            .Produces<EventsRecorded>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        group.MapGet("/{id}/events", ListEvents)
            .RequireAuthorization(ApiKeys.Read)
            .WithName("ListEndpointEvents")
            .WithSummary("An endpoint's recorded events in time order, without duplicates");
        group.MapGet("/{id}/cost", GetCost)
            .RequireAuthorization(ApiKeys.Read)
            .WithName("GetEndpointCost")
            .WithSummary("Actual uptime cost of one endpoint in [from, to): billed minutes, minutes per status, replica-minutes, cost and effective price per million tokens")
            .AcceptsQuery<TimeRangeQuery>();
        return app;
    }

    /// <summary>The endpoints as the catalogue has them; hourly_usd is per replica-hour, from the instance or explicit.</summary>
    public static ItemList<EndpointInfo> ListEndpoints(PricingEngine engine) => new(engine.Data.Endpoints);

    public static Task<IResult> Estimate(HttpRequest request, EndpointBilling billing, PricingEngine engine, CancellationToken cancellationToken)
    {
        return JsonBody.HandleAsync(request, MaxBodyBytes, async body =>
        {
            var errors = new Dictionary<string, string[]>();
            if (EndpointRequests.ReadEstimate(body, errors) is not { } query)
            {
                return Problems.Validation(errors);
            }

            var endpoints = new List<EndpointInfo>();
            foreach (var requested in query.Endpoints ?? billing.All.Select(e => new RequestedEndpoint(e.Id, "endpoints")))
            {
                if (billing.Find(requested.Id) is not { } endpoint)
                {
                    return UnknownEndpoint(billing, requested.Id, requested.Field);
                }

                if (!endpoints.Contains(endpoint))
                {
                    endpoints.Add(endpoint);
                }
            }

            var estimate = UptimeEstimator.Estimate(endpoints, query.Schedule, query.AdditionalReplicas, query.ScaleUpHoursPerDay);
            return TypedResults.Ok(new EstimateResponse(
                estimate.HourlyUsd,
                estimate.DailyUsd,
                estimate.WeeklyUsd,
                estimate.MonthlyUsd,
                "USD",
                new ScheduleView(query.Schedule.HoursPerDay, query.Schedule.DaysPerWeek, query.Schedule.IsAlwaysOn, query.AdditionalReplicas, query.ScaleUpHoursPerDay),
                estimate.Endpoints,
                engine.Version));
        }, cancellationToken);
    }

    public static async Task<IResult> RecordEvents(string id, HttpRequest request, EndpointBilling billing, IEndpointEventStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (billing.Find(id) is null)
        {
            return UnknownEndpoint(billing, id, "id");
        }

        return await JsonBody.HandleAsync(request, MaxBodyBytes, async body =>
        {
            var errors = new Dictionary<string, string[]>();
            if (EndpointRequests.ReadEvents(body, clock.GetUtcNow(), errors) is not { } events)
            {
                return Problems.Validation(errors);
            }

            var recorded = await store.AppendAsync(id, events, cancellationToken);
            return TypedResults.Ok(new EventsRecorded(id, events.Count, recorded, events.Count - recorded));
        }, cancellationToken);
    }

    public static async Task<Results<Ok<EndpointEventList>, ProblemHttpResult>> ListEvents(string id, EndpointBilling billing, IEndpointEventStore store, CancellationToken cancellationToken)
    {
        if (billing.Find(id) is null)
        {
            return UnknownEndpoint(billing, id, "id");
        }

        var events = UptimeBilling.Normalize(await store.ListAsync(id, DateTimeOffset.MaxValue, cancellationToken));
        return TypedResults.Ok(new EndpointEventList(id, [.. events.Select(e => new EndpointEventView(e.At, e.Status.ToWire(), e.Replicas))]));
    }

    public static async Task<Results<Ok<EndpointCost>, ValidationProblem, ProblemHttpResult>> GetCost(string id, [AsParameters] TimeRangeQuery query, EndpointBilling billing, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (billing.Find(id) is not { } endpoint)
        {
            return UnknownEndpoint(billing, id, "id");
        }

        var now = clock.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        if (Window(query, now, errors) is not { } window)
        {
            return Problems.Validation(errors);
        }

        var (start, end) = window;

        return TypedResults.Ok(await billing.CostAsync(endpoint, start, end, now, cancellationToken));
    }

    public static async Task<Results<Ok<EndpointCostList>, ValidationProblem>> GetCosts([AsParameters] TimeRangeQuery query, EndpointBilling billing, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        if (Window(query, now, errors) is not { } window)
        {
            return Problems.Validation(errors);
        }

        var (start, end) = window;

        var costs = new List<EndpointCost>();
        foreach (var endpoint in billing.All)
        {
            costs.Add(await billing.CostAsync(endpoint, start, end, now, cancellationToken));
        }

        var billedTo = costs.Count > 0 ? costs[0].To : end;
        return TypedResults.Ok(new EndpointCostList(start, billedTo, costs.Sum(c => c.CostUsd), costs.Sum(c => c.ReplicaMinutes), "USD", [.. costs]));
    }

    public static async Task<Ok<EndpointWarningList>> GetWarnings(EndpointBilling billing, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var warnings = await billing.WarningsAsync(now, cancellationToken);
        return TypedResults.Ok(new EndpointWarningList(now, warnings.Sum(w => w.ProjectedWeeklyWasteUsd), [.. warnings]));
    }

    private static ProblemHttpResult UnknownEndpoint(EndpointBilling billing, string id, string field)
    {
        var nearest = NameSuggestions.Nearest(id, billing.Ids);
        return TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: "Unknown endpoint",
            detail: $"{field}: endpoint '{id}' is not in the catalogue{(nearest is null ? string.Empty : $"; did you mean '{nearest}'?")} Known endpoints: {string.Join(", ", billing.Ids.Order(StringComparer.Ordinal))} (GET /v1/endpoints); add one under endpoints: in pricing.yaml.",
            extensions: new Dictionary<string, object?> { ["field"] = field, ["did_you_mean"] = nearest });
    }

    /// <summary>[from, to) from the query, read as the ledger reads it; to defaults to now, from to 30 days before to.</summary>
    private static (DateTimeOffset From, DateTimeOffset To)? Window(TimeRangeQuery query, DateTimeOffset now, Dictionary<string, string[]> errors)
    {
        var (sentFrom, sentTo) = query.ReadRange(errors);
        var to = sentTo ?? now;
        var from = sentFrom ?? to - DefaultWindow;
        if (errors.Count == 0 && from >= to)
        {
            PricingRequestReader.Add(errors, "to", "'to' must be later than 'from' (from is inclusive, to exclusive; to defaults to now, from to 30 days before to)");
        }

        return errors.Count > 0 ? null : (from, to);
    }
}
