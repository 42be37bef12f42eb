using System.Collections.Concurrent;
using LiteDB;

namespace Catalog.Ledger.LiteDb;

/// <summary>API keys in the ledger file (hashes only), cached in memory: authentication reads no disk.</summary>
public sealed class LiteDbKeyStore : IKeyStore
{
    public const string KeyCollection = "api_keys";

    private readonly LedgerDatabase _database;
    private readonly ILiteCollection<BsonDocument> _keys;
    private readonly ConcurrentDictionary<string, ApiKeyRecord> _cache = new(StringComparer.Ordinal);

    public LiteDbKeyStore(LedgerDatabase database)
    {
        _database = database;
        _keys = database.Database.GetCollection(KeyCollection);
        foreach (var doc in _keys.FindAll())
        {
            var key = ToRecord(doc);
            _cache[key.Id] = key;
        }
    }

    public Task CreateAsync(ApiKeyRecord key, CancellationToken cancellationToken)
    {
        _database.WriteDurably(_ => _keys.Insert(ToDocument(key)));
        _cache[key.Id] = key;
        return Task.CompletedTask;
    }

    public ValueTask<ApiKeyRecord?> FindAsync(string id, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_cache.GetValueOrDefault(id));

    public Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ApiKeyRecord>>([.. _cache.Values.OrderBy(k => k.CreatedAt)]);

    public Task TouchAsync(string id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(id, out var key) && (key.LastUsedAt is null || key.LastUsedAt < at))
        {
            var used = key with { LastUsedAt = at };
            _database.WriteDurably(_ => _keys.Update(ToDocument(used)));
            _cache[id] = used;
        }

        return Task.CompletedTask;
    }

    public Task<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (!_cache.TryGetValue(id, out var key))
        {
            return Task.FromResult(false);
        }

        var revoked = key with { RevokedAt = key.RevokedAt ?? at };
        _database.WriteDurably(_ => _keys.Update(ToDocument(revoked)));
        _cache[id] = revoked;
        return Task.FromResult(true);
    }

    private static BsonDocument ToDocument(ApiKeyRecord key) => new()
    {
        ["_id"] = key.Id,
        ["name"] = key.Name,
        ["scopes"] = new BsonArray(key.Scopes.Select(s => new BsonValue(s))),
        ["hash"] = key.KeyHash,
        ["rps"] = key.RequestsPerSecond is { } rps ? rps : BsonValue.Null,
        ["created_at"] = key.CreatedAt.UtcDateTime,
        ["revoked_at"] = BsonValues.Nullable(key.RevokedAt),
        ["expires_at"] = BsonValues.Nullable(key.ExpiresAt),
        ["last_used_at"] = BsonValues.Nullable(key.LastUsedAt),
    };

    private static ApiKeyRecord ToRecord(BsonDocument doc) => new(
        doc["_id"].AsString,
        doc["name"].AsString,
        [.. doc["scopes"].AsArray.Select(s => s.AsString)],
        doc["hash"].AsBinary,
        doc["rps"].IsNull ? null : doc["rps"].AsInt32,
        BsonValues.Utc(doc["created_at"]),
        BsonValues.NullableUtc(doc["revoked_at"]),
        BsonValues.NullableUtc(doc["expires_at"]),
        BsonValues.NullableUtc(doc["last_used_at"]));
}
