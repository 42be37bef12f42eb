using System.Globalization;
using Catalog.Ledger;
using Catalog.Pricing;

namespace Catalog.Api.Features.Usage;

/// <summary>
/// <c>Ledger:RetentionDays</c>: when set, calls older than that many days are deleted from the ledger (and taken out of
/// the rollups with them) at start-up and every hour after, and each round that deleted any is logged. Off by default.
/// </summary>
public sealed class LedgerRetention(IUsageStore store, TimeProvider clock, RetentionOptions options, ILogger<LedgerRetention> logger) : BackgroundService
{
    /// <summary>Deletes the calls made before now minus the retention; returns how many.</summary>
    public async Task<long> DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        var cutoff = clock.GetUtcNow() - TimeSpan.FromDays(options.Days!.Value);
        var deleted = await store.DeleteAsync(new UsageFilter(To: cutoff), cancellationToken);
        if (deleted > 0)
        {
            logger.LogInformation("Retention: deleted {Deleted} calls made before {Cutoff:O} (Ledger:RetentionDays={Days})", deleted, cutoff, options.Days);
        }

        return deleted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Days is null)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Interval, clock);
        do
        {
            try
            {
                await DeleteExpiredAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Retention: deleting old calls failed; it is tried again in {Interval}", options.Interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

public sealed class RetentionOptions
{
    /// <summary>Days a call is kept; null keeps every call.</summary>
    public int? Days { get; init; }

    public TimeSpan Interval { get; init; } = TimeSpan.FromHours(1);

    public static RetentionOptions Read(IConfiguration configuration)
    {
        if (configuration["Ledger:RetentionDays"] is not { Length: > 0 } text)
        {
            return new RetentionOptions();
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var days) || days < 1)
        {
            throw new CatalogConfigurationException($"Ledger:RetentionDays='{text}' is not a whole number of days of 1 or more. Set it (e.g. 365) to delete older calls, or leave it out to keep every call.");
        }

        return new RetentionOptions { Days = days };
    }
}
