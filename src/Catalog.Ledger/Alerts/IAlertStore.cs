namespace Catalog.Ledger.Alerts;

/// <summary>Where alerts live between evaluations and restarts, so each condition alerts (and notifies) once.</summary>
public interface IAlertStore
{
    /// <summary>Opens candidates not seen before, refreshes those still true, closes open alerts no longer raised. Returns the newly opened ones.</summary>
    Task<IReadOnlyList<AlertRecord>> ApplyAsync(IReadOnlyList<AlertCandidate> candidates, DateTimeOffset now, CancellationToken cancellationToken);

    Task<IReadOnlyList<AlertRecord>> ListAsync(int limit, CancellationToken cancellationToken);

    /// <summary>Alerts that have not been delivered to the webhook yet.</summary>
    Task<IReadOnlyList<AlertRecord>> UndeliveredAsync(CancellationToken cancellationToken);

    Task RecordDeliveryAsync(string key, DateTimeOffset? deliveredAt, string? error, CancellationToken cancellationToken);
}
