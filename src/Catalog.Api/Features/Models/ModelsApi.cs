using System.Text;
using System.Text.Json.Serialization;
using Catalog.Api.Features.Cost;
using Catalog.Api.Http;
using Catalog.Pricing;
using Catalog.Pricing.Export;

namespace Catalog.Api.Features.Models;

public static class ModelsApi
{
    public const int MaxPageSize = 500;

    public static IEndpointRouteBuilder MapModels(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1").WithTags("Catalog");
        group.MapGet("/models", ListModels)
            .WithName("ListModels")
            .WithSummary("List the catalogue's models with their current prices")
            .WithDescription("Filter by provider, active, and text (q: in id, name or match names); paged with page (from 1) and page_size (up to 500).")
            .Produces<ModelPage>()
            .ProducesValidationProblem();
        group.MapGet("/models/export.csv", ExportModels)
            .WithName("ExportModels")
            .WithSummary("The price list as CSV: every model and alias with every price, its source and checked date (RFC 4180, formula-safe)")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv");
        group.MapGet("/models/{**name}", ExplainModel)
            .WithName("ExplainModel")
            .WithSummary("Explain how a model name resolves, every step tried, and its prices")
            .Produces<ModelExplanation>()
            .ProducesValidationProblem();
        group.MapGet("/aliases", ListAliases)
            .WithName("ListAliases")
            .WithSummary("List the catalogue's aliases and what they resolve to")
            .Produces<ItemList<AliasView>>();
        return app;
    }

    public static IResult ListModels(PricingEngine engine, string? provider, bool? active, string? q, int? page, int? page_size)
    {
        var pageNumber = page ?? 1;
        var size = page_size ?? 100;
        if (pageNumber < 1)
        {
            return Problems.Validation("page", "page starts at 1");
        }

        if (size < 1 || size > MaxPageSize)
        {
            return Problems.Validation("page_size", $"page_size must be from 1 to {MaxPageSize}");
        }

        if (provider is not null && !engine.Data.ProvidersById.ContainsKey(provider))
        {
            var nearest = NameSuggestions.Nearest(provider, engine.Data.ProvidersById.Keys);
            return Problems.Validation("provider", $"unknown provider '{provider}'{(nearest is null ? string.Empty : $"; did you mean '{nearest}'?")} Known: {string.Join(", ", engine.Data.ProvidersById.Keys.Order())}");
        }

        var matches = engine.Data.Models
            .Where(m => provider is null || m.Provider == provider)
            .Where(m => active is null || m.Active == active)
            .Where(m => string.IsNullOrWhiteSpace(q) || Contains(m, q.Trim()))
            .ToList();
        var skip = (long)(pageNumber - 1) * size;
        var items = skip >= matches.Count ? [] : matches.Skip((int)skip).Take(size).Select(m => ModelView.From(m, engine)).ToArray();
        return TypedResults.Ok(new ModelPage(items, matches.Count, pageNumber, size));
    }

    public static IResult ExportModels(PricingEngine engine) =>
        TypedResults.File(Encoding.UTF8.GetBytes(PriceListCsv.Write(engine)), "text/csv; charset=utf-8", "models.csv");

    public static IResult ExplainModel(PricingEngine engine, string name, string? provider)
    {
        // The server decodes every escape in the path but %2F; a client that encoded the name's slash means one.
        name = name.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        if (name.Length > PricingRequestReader.MaxNameLength)
        {
            return Problems.Validation("name", $"the name is {name.Length} characters long; at most {PricingRequestReader.MaxNameLength} are accepted");
        }

        var (resolution, steps) = engine.Explain(name, provider);
        string? suggestion = null;
        if (resolution.Source.IsGuess())
        {
            suggestion = NameSuggestions.Nearest(name, engine.DirectNames.Select(n => n.Key));
        }

        return TypedResults.Ok(new ModelExplanation(
            name,
            resolution.ResolvedModel,
            resolution.Provider?.Id ?? provider,
            resolution.Source.ToWire(),
            steps.Select(s => new StepView(s.Step, s.Tried, s.Matched, s.Detail)).ToArray(),
            resolution.Warnings,
            suggestion,
            resolution.Alias is { } alias ? AliasView.From(alias) : null,
            resolution.Model is { } model ? ModelView.From(model, engine) : null,
            PriceView.From(resolution.Prices),
            engine.Version));
    }

    public static ItemList<AliasView> ListAliases(PricingEngine engine) =>
        new(engine.Data.Aliases.Select(AliasView.From).ToArray());

    private static bool Contains(ModelInfo model, string text) =>
        model.FullName.Contains(text, StringComparison.OrdinalIgnoreCase)
        || (model.Name?.Contains(text, StringComparison.OrdinalIgnoreCase) ?? false)
        || model.MatchNames.Any(n => n.Contains(text, StringComparison.OrdinalIgnoreCase));
}

public sealed record ModelPage(ModelView[] Items, int Total, int Page, int PageSize);

public sealed record TierView(long AboveInputTokens, decimal? InputMtok, decimal? OutputMtok, decimal? CacheReadMtok, decimal? CacheWriteMtok, [property: JsonPropertyName("cache_write_1h_mtok")] decimal? CacheWrite1hMtok);

public sealed record PriceView(decimal InputMtok, decimal OutputMtok, decimal? CacheReadMtok, decimal? CacheWriteMtok, [property: JsonPropertyName("cache_write_1h_mtok")] decimal? CacheWrite1hMtok, TierView[] Tiers)
{
    public static PriceView From(PriceSet p) => new(
        p.InputMtok,
        p.OutputMtok,
        p.CacheReadMtok,
        p.CacheWriteMtok,
        p.CacheWrite1hMtok,
        p.Tiers.Select(t => new TierView(t.AboveInputTokens, t.InputMtok, t.OutputMtok, t.CacheReadMtok, t.CacheWriteMtok, t.CacheWrite1hMtok)).ToArray());
}

public sealed record HistoryView(DateOnly Until, PriceView Prices);

public sealed record ModelView(
    string Name,
    string Provider,
    string Id,
    string? DisplayName,
    bool Active,
    PriceView Prices,
    bool UsesProviderDefault,
    HistoryView[] History,
    decimal PerRequestUsd,
    decimal? EstimateRequestUsd,
    string[] MatchPrefixes,
    string[] MatchNames,
    string? Source,
    DateOnly? Checked,
    string? Notes)
{
    public static ModelView From(ModelInfo m, PricingEngine engine) => new(
        m.FullName,
        m.Provider,
        m.Id,
        m.Name,
        m.Active,
        PriceView.From(engine.PricesOf(m)),
        m.Prices is null,
        m.History.Select(h => new HistoryView(h.Until, PriceView.From(h.Prices))).ToArray(),
        m.PerRequestUsd,
        m.EstimateRequestUsd,
        m.MatchPrefixes,
        m.MatchNames,
        m.Source,
        m.Checked,
        m.Notes);
}

public sealed record AliasView(string Name, string Target, string ResolvedModel, string[] Chain, PriceView? Prices, string? Notes)
{
    public static AliasView From(AliasInfo a) =>
        new(a.Name, a.Target, a.ResolvedModel, a.Chain, a.Prices is null ? null : PriceView.From(a.Prices), a.Notes);
}

public sealed record StepView(string Step, string Tried, bool Matched, string? Detail);

public sealed record ModelExplanation(
    string Name,
    string? ResolvedModel,
    string? Provider,
    string PricingSource,
    StepView[] Steps,
    IReadOnlyList<string> Warnings,
    string? DidYouMean,
    AliasView? Alias,
    ModelView? Model,
    PriceView Prices,
    string CatalogVersion);
