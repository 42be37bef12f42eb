namespace Catalog.Ledger.Alerts;

/// <summary>An alert as stored and listed. Open while its condition holds (or until its day ends).</summary>
public sealed record AlertRecord(
    string Key,
    string RuleId,
    string Kind,
    string Title,
    string Message,
    decimal? ValueUsd,
    decimal? ThresholdUsd,
    DateTimeOffset OpenedAt,
    DateTimeOffset LastSeenAt,
    DateTimeOffset? ClosedAt,
    bool ClosesAtEndOfDay,
    DateTimeOffset? DeliveredAt,
    int DeliveryAttempts,
    string? LastDeliveryError)
{
    public string Status => ClosedAt is null ? "open" : "closed";

    public static AlertRecord Open(AlertCandidate candidate, DateTimeOffset now) => new(
        candidate.Key,
        candidate.RuleId,
        candidate.Kind,
        candidate.Title,
        candidate.Message,
        candidate.ValueUsd,
        candidate.ThresholdUsd,
        now,
        now,
        null,
        candidate.ClosesAtEndOfDay,
        null,
        0,
        null);
}
