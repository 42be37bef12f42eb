using Catalog.Pricing;

namespace Catalog.Api.Features.Catalog;

public static class CatalogApi
{
    public static IEndpointRouteBuilder MapCatalog(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/catalog", GetCatalog)
            .WithName("GetCatalog")
            .WithSummary("Catalogue version and counts")
            .WithTags("Catalog");
        return app;
    }

    /// <summary>The catalogue's version (a hash of the catalogue file), what it holds, and the service's own version.</summary>
    public static CatalogSummary GetCatalog(PricingEngine engine)
    {
        var data = engine.Data;
        return new CatalogSummary(
            data.Version,
            data.SourceFile,
            data.Schema,
            data.Providers.Length,
            data.Models.Length,
            data.Models.Count(m => m.Active),
            data.Aliases.Length,
            data.Instances.Length,
            data.Endpoints.Length,
            new CatalogAssumptions(data.TypicalInputTokens, data.TypicalOutputTokens),
            new FallbackPrices(data.Fallback.InputMtok, data.Fallback.OutputMtok),
            data.Providers.Select(p => new ProviderSummary(p.Id, p.Name, data.Models.Count(m => m.Provider == p.Id), engine.EffectiveProviderDefaults.ContainsKey(p.Id))).ToArray(),
            ProductVersion.Current);
    }
}

public sealed record CatalogSummary(
    string Version,
    string SourceFile,
    int Schema,
    int Providers,
    int Models,
    int ActiveModels,
    int Aliases,
    int Instances,
    int Endpoints,
    CatalogAssumptions Assumptions,
    FallbackPrices Fallback,
    ProviderSummary[] ProviderList,
    string ServiceVersion);

public sealed record CatalogAssumptions(long TypicalInputTokens, long TypicalOutputTokens);

public sealed record FallbackPrices(decimal InputMtok, decimal OutputMtok);

public sealed record ProviderSummary(string Id, string Name, int Models, bool HasDefaultPrices);
