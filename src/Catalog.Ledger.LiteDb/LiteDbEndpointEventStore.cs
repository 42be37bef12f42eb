using System.Globalization;
using Catalog.Pricing;
using LiteDB;

namespace Catalog.Ledger.LiteDb;

/// <summary>
/// Endpoint status events in the ledger's database file (collection <c>endpoint_events</c>). The
/// document id is the event itself (endpoint, time, status, replicas), so a duplicate is found by id;
/// <c>seq</c> keeps the order events were received in, which decides between events at the same instant.
/// Times are stored as UTC ticks: BSON dates keep only milliseconds.
/// </summary>
public sealed class LiteDbEndpointEventStore : IEndpointEventStore
{
    public const string Collection = "endpoint_events";

    private readonly LedgerDatabase _database;
    private readonly ILiteCollection<BsonDocument> _events;
    private long _lastSequence;

    public LiteDbEndpointEventStore(LedgerDatabase database)
    {
        _database = database;
        _events = database.Database.GetCollection(Collection);
        _events.EnsureIndex("endpoint", "$.endpoint");
        _lastSequence = _events.Count() == 0 ? 0 : _events.Max("seq").AsInt64;
    }

    public Task<int> AppendAsync(string endpointId, IReadOnlyList<EndpointEvent> events, CancellationToken cancellationToken) =>
        Task.FromResult(_database.WriteDurably(_ =>
        {
            var added = 0;
            foreach (var e in events)
            {
                var id = Id(endpointId, e);
                if (_events.FindById(id) is null)
                {
                    _events.Insert(new BsonDocument
                    {
                        ["_id"] = id,
                        ["endpoint"] = endpointId,
                        ["at"] = e.At.UtcTicks,
                        ["status"] = e.Status.ToWire(),
                        ["replicas"] = e.Replicas,
                        ["seq"] = ++_lastSequence,
                    });
                    added++;
                }
            }

            return added;
        }));

    public Task<IReadOnlyList<EndpointEvent>> ListAsync(string endpointId, DateTimeOffset before, CancellationToken cancellationToken)
    {
        IReadOnlyList<EndpointEvent> events = _events.Query()
            .Where(Query.And(Query.EQ("endpoint", endpointId), Query.LT("at", before.UtcTicks)))
            .OrderBy("seq")
            .ToEnumerable()
            .Select(ToEvent)
            .ToArray();
        return Task.FromResult(events);
    }

    private static string Id(string endpointId, EndpointEvent e) =>
        string.Join('|', endpointId, e.At.UtcTicks.ToString("D19", CultureInfo.InvariantCulture), e.Status.ToWire(), e.Replicas.ToString(CultureInfo.InvariantCulture));

    private static EndpointEvent ToEvent(BsonDocument doc)
    {
        EndpointStatuses.TryParse(doc["status"].AsString, out var status);
        return new EndpointEvent(new DateTimeOffset(doc["at"].AsInt64, TimeSpan.Zero), status, doc["replicas"].AsInt32);
    }
}
