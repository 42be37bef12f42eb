namespace Catalog.Ledger.Alerts;

/// <summary>The state changes of alerts, independent of where they are stored.</summary>
public static class AlertTransitions
{
    public static (List<AlertRecord> Changed, IReadOnlyList<AlertRecord> Opened) Apply(IReadOnlyDictionary<string, AlertRecord> existing, IReadOnlyList<AlertCandidate> candidates, DateTimeOffset now)
    {
        var changed = new List<AlertRecord>();
        var opened = new List<AlertRecord>();
        var raised = new HashSet<string>(StringComparer.Ordinal);
        foreach (var candidate in candidates)
        {
            raised.Add(candidate.Key);
            if (!existing.TryGetValue(candidate.Key, out var record))
            {
                var fresh = AlertRecord.Open(candidate, now);
                changed.Add(fresh);
                opened.Add(fresh);
            }
            else if (record.ClosedAt is null && !DayOver(record, now))
            {
                changed.Add(record with { LastSeenAt = now, Message = candidate.Message, ValueUsd = candidate.ValueUsd });
            }
        }

        foreach (var record in existing.Values)
        {
            if (record.ClosedAt is null && (!raised.Contains(record.Key) || DayOver(record, now)))
            {
                changed.Add(record with { ClosedAt = now });
            }
        }

        return (changed, opened);
    }

    /// <summary>A daily alert belongs to the UTC day it opened on; it closes when that day is over.</summary>
    private static bool DayOver(AlertRecord record, DateTimeOffset now) =>
        record.ClosesAtEndOfDay && DateOnly.FromDateTime(record.OpenedAt.UtcDateTime) < DateOnly.FromDateTime(now.UtcDateTime);

    public static AlertRecord Delivery(AlertRecord record, DateTimeOffset? deliveredAt, string? error) =>
        record with { DeliveredAt = deliveredAt ?? record.DeliveredAt, DeliveryAttempts = record.DeliveryAttempts + 1, LastDeliveryError = error };
}
