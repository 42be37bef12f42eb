using Catalog.Ledger.LiteDb;
using Catalog.Ledger.Postgres;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Catalog.Api.Features.Health;

/// <summary>
/// The LiteDB file is open and readable. The exception (in the service's log, written by the health check
/// service) is not in the answer: the description is fixed text.
/// </summary>
public sealed class LiteDbHealthCheck(LedgerDatabase ledger) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            ledger.Probe();
            return Task.FromResult(HealthCheckResult.Healthy("LiteDB file open"));
        }
        catch (Exception ex)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("the LiteDB file cannot be read (see the service's log)", ex));
        }
    }
}

/// <summary>PostgreSQL answers a query on the ledger's connection pool.</summary>
public sealed class PostgresHealthCheck(PostgresLedger ledger) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = ledger.DataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy("PostgreSQL answers");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL does not answer (see the service's log)", ex);
        }
    }
}
