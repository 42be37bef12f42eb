using System.Net;
using System.Net.Http.Headers;
using Catalog.Pricing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Api.Tests.Ledger;

/// <summary>Budgets written in pricing.yaml's budgets: are reported, counted and alerted like the API's, and only removed there.</summary>
public sealed class CatalogueBudgetsTests(LedgerApiFactory factory) : IClassFixture<LedgerApiFactory>
{
    private static readonly PricingEngine Engine = new(
        BuiltInCatalog.Data with { Budgets = [new BudgetRule("yaml-search", "Search, from the catalogue", "monthly", 0.008m, "team", "yaml-search", 0.5m, null)] },
        _ => null);

    [Fact]
    public async Task A_catalogue_budget_is_listed_counted_and_cannot_be_deleted_through_the_API()
    {
        using var api = factory.WithOwnDatabase(builder => builder.ConfigureServices(services => services.AddSingleton(Engine)));
        using var admin = api.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", StoreApiFactory.AdminKey);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJsonAsync("/v1/usage", LedgerHttp.Call("yaml-budget-1", team: "yaml-search", at: DateTimeOffset.UtcNow))).StatusCode);

        var listed = await (await admin.GetAsync("/v1/budgets")).JsonAsync();
        var budget = Assert.Single(listed.GetProperty("items").EnumerateArray(), b => b.GetProperty("id").GetString() == "yaml-search");
        Assert.Equal(("Search, from the catalogue", "catalogue", "monthly"), (budget.GetProperty("name").GetString(), budget.GetProperty("origin").GetString(), budget.GetProperty("period").GetString()));
        Assert.Equal(0.0045m, budget.GetProperty("spent_usd").GetDecimal());
        Assert.Equal("warning", budget.GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/v1/budgets/yaml-search")).StatusCode);

        var refused = await admin.DeleteAsync("/v1/budgets/yaml-search");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("pricing.yaml", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/v1/budgets/yaml-search")).StatusCode);
    }
}
