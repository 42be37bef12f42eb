namespace Catalog.Api.Features.Endpoints;

public static class EndpointServices
{
    /// <summary>Endpoint billing, on the ledger's stores: register them first (<c>AddLedgerStorage</c>).</summary>
    public static IServiceCollection AddEndpointBilling(this IServiceCollection services) =>
        services.AddSingleton<EndpointBilling>();
}
