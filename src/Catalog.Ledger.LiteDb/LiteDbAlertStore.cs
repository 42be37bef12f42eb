using Catalog.Ledger.Alerts;
using LiteDB;
using static Catalog.Ledger.LiteDb.BsonValues;

namespace Catalog.Ledger.LiteDb;

/// <summary>
/// Alerts in the ledger file, so an alert and its delivery survive a restart: a condition still true
/// after one is not opened (nor POSTed) again. Each change is one durable transaction.
/// </summary>
public sealed class LiteDbAlertStore : IAlertStore
{
    public const string AlertCollection = "alerts";

    private readonly LedgerDatabase _database;
    private readonly ILiteCollection<BsonDocument> _alerts;

    /// <summary>Held from reading alerts to writing what changed, so evaluations and deliveries never interleave there.</summary>
    private readonly Lock _gate = new();

    public LiteDbAlertStore(LedgerDatabase database)
    {
        _database = database;
        _alerts = database.Database.GetCollection(AlertCollection);
        _alerts.EnsureIndex("open");
        _alerts.EnsureIndex("delivered");
        _alerts.EnsureIndex("opened_at");
    }

    public Task<IReadOnlyList<AlertRecord>> ApplyAsync(IReadOnlyList<AlertCandidate> candidates, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var existing = _alerts.Find(Query.EQ("open", true)).Select(ToRecord).ToDictionary(a => a.Key, StringComparer.Ordinal);
            foreach (var candidate in candidates)
            {
                if (!existing.ContainsKey(candidate.Key) && _alerts.FindById(candidate.Key) is { } stored)
                {
                    existing[candidate.Key] = ToRecord(stored);
                }
            }

            var (changed, opened) = AlertTransitions.Apply(existing, candidates, now);
            if (changed.Count > 0)
            {
                _database.WriteDurably(_ => _alerts.Upsert(changed.Select(ToDocument)));
            }

            return Task.FromResult(opened);
        }
    }

    public Task<IReadOnlyList<AlertRecord>> ListAsync(int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<AlertRecord>>([.. _alerts.Query().OrderByDescending("opened_at").Limit(limit).ToEnumerable().Select(ToRecord)]);

    /// <summary>In the order they opened; alerts opened by one evaluation in key order.</summary>
    public Task<IReadOnlyList<AlertRecord>> UndeliveredAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<AlertRecord>>([.. _alerts.Find(Query.EQ("delivered", false)).Select(ToRecord).OrderBy(a => a.OpenedAt).ThenBy(a => a.Key, StringComparer.Ordinal)]);

    public Task RecordDeliveryAsync(string key, DateTimeOffset? deliveredAt, string? error, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_alerts.FindById(key) is { } stored)
            {
                _database.WriteDurably(_ => _alerts.Update(ToDocument(AlertTransitions.Delivery(ToRecord(stored), deliveredAt, error))));
            }
        }

        return Task.CompletedTask;
    }

    private static BsonDocument ToDocument(AlertRecord a) => new()
    {
        ["_id"] = a.Key,
        ["rule"] = a.RuleId,
        ["kind"] = a.Kind,
        ["title"] = a.Title,
        ["message"] = a.Message,
        ["value_usd"] = a.ValueUsd is { } value ? value : BsonValue.Null,
        ["threshold_usd"] = a.ThresholdUsd is { } threshold ? threshold : BsonValue.Null,
        ["opened_at"] = a.OpenedAt.UtcDateTime,
        ["last_seen_at"] = a.LastSeenAt.UtcDateTime,
        ["closed_at"] = Nullable(a.ClosedAt),
        ["closes_at_end_of_day"] = a.ClosesAtEndOfDay,
        ["delivered_at"] = Nullable(a.DeliveredAt),
        ["delivery_attempts"] = a.DeliveryAttempts,
        ["last_delivery_error"] = Nullable(a.LastDeliveryError),
        ["open"] = a.ClosedAt is null,
        ["delivered"] = a.DeliveredAt is not null,
    };

    private static AlertRecord ToRecord(BsonDocument d) => new(
        d["_id"].AsString,
        d["rule"].AsString,
        d["kind"].AsString,
        d["title"].AsString,
        d["message"].AsString,
        d["value_usd"].IsNull ? null : d["value_usd"].AsDecimal,
        d["threshold_usd"].IsNull ? null : d["threshold_usd"].AsDecimal,
        Utc(d["opened_at"]),
        Utc(d["last_seen_at"]),
        NullableUtc(d["closed_at"]),
        d["closes_at_end_of_day"].AsBoolean,
        NullableUtc(d["delivered_at"]),
        d["delivery_attempts"].AsInt32,
        Text(d["last_delivery_error"]));
}
