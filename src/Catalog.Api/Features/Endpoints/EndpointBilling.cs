using System.Collections.Frozen;
using Catalog.Ledger;
using Catalog.Pricing;

namespace Catalog.Api.Features.Endpoints;

/// <summary>
/// The catalogue's endpoints joined with their status events and the ledger's usage: uptime costs
/// and warnings, for the endpoint API and for anything else that needs them (the alerts' idle_endpoint rule).
/// </summary>
public sealed class EndpointBilling(PricingEngine engine, IEndpointEventStore events, IUsageStore usage)
{
    private readonly FrozenDictionary<string, EndpointInfo> _byId = engine.Data.Endpoints.ToFrozenDictionary(e => e.Id, StringComparer.Ordinal);

    public IReadOnlyList<EndpointInfo> All => engine.Data.Endpoints;

    public IEnumerable<string> Ids => _byId.Keys;

    public EndpointInfo? Find(string id) => _byId.GetValueOrDefault(id);

    public async Task<EndpointCost> CostAsync(EndpointInfo endpoint, DateTimeOffset from, DateTimeOffset to, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var history = await events.ListAsync(endpoint.Id, to < now ? to : now, cancellationToken);
        var bill = UptimeBilling.Bill(history, endpoint.HourlyUsd, from, to, now);
        var served = await usage.EndpointUsageAsync(endpoint.Id, bill.From, bill.To, cancellationToken);
        var minutes = bill.TimeByStatus
            .OrderBy(t => t.Key)
            .ToDictionary(t => t.Key.ToWire(), t => Math.Round((decimal)t.Value.Ticks / TimeSpan.TicksPerMinute, 2, MidpointRounding.AwayFromZero));
        return new EndpointCost(
            endpoint.Id,
            endpoint.Model,
            bill.From,
            bill.To,
            endpoint.HourlyUsd,
            bill.BilledMinutes,
            bill.ReplicaMinutes,
            bill.CostUsd,
            "USD",
            minutes,
            bill.LastEvent?.Status.ToWire(),
            bill.LastEvent?.Replicas ?? 0,
            served.Tokens,
            bill.EffectiveUsdPerMtok(served.Tokens));
    }

    /// <summary>The warning of each endpoint that has one.</summary>
    public async Task<IReadOnlyList<EndpointWarning>> WarningsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var warnings = new List<EndpointWarning>();
        foreach (var endpoint in All)
        {
            var history = await events.ListAsync(endpoint.Id, now, cancellationToken);
            if (history.Count == 0)
            {
                // Never reported running: nothing to warn about, and no need to read its usage (the alert monitor asks every minute).
                continue;
            }

            var served = await usage.EndpointUsageAsync(endpoint.Id, now - WarningPolicy.Default.Lookback, now, cancellationToken);
            if (EndpointWarnings.Check(endpoint, history, served, now) is { } warning)
            {
                warnings.Add(warning);
            }
        }

        return warnings;
    }
}
