using Catalog.Api.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Catalog.Api.Features.Endpoints;

public static class EndpointServices
{
    /// <summary>Endpoint billing. Without a database store or a usage ledger registered first, events live in memory and usage is unknown.</summary>
    public static IServiceCollection AddEndpointBilling(this IServiceCollection services)
    {
        services.TryAddSingleton<IEndpointEventStore, InMemoryEndpointEventStore>();
        services.TryAddSingleton<IEndpointUsageSource, NoUsageLedger>();
        services.AddSingleton<EndpointBilling>();
        return services;
    }
}
