namespace Catalog.Ledger;

/// <summary>An API key as stored: never the key itself, only a SHA-256 hash of it.</summary>
/// <param name="RequestsPerSecond">This key's rate limit; null = the configured default.</param>
/// <param name="ExpiresAt">When the key stops working; null = never.</param>
/// <param name="LastUsedAt">When the key last authenticated a request, to the minute (it is written at most once a minute).</param>
public sealed record ApiKeyRecord(
    string Id,
    string Name,
    IReadOnlyList<string> Scopes,
    byte[] KeyHash,
    int? RequestsPerSecond,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt,
    DateTimeOffset? ExpiresAt = null,
    DateTimeOffset? LastUsedAt = null);

public interface IKeyStore
{
    /// <summary>Stores a new key; durable when the task completes.</summary>
    Task CreateAsync(ApiKeyRecord key, CancellationToken cancellationToken);

    /// <summary>The key with this id, revoked or not. Called on every authenticated request: keep it cheap.</summary>
    ValueTask<ApiKeyRecord?> FindAsync(string id, CancellationToken cancellationToken);

    Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Records that the key authenticated a request at <paramref name="at"/> (kept when later than the one stored).</summary>
    Task TouchAsync(string id, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Marks the key revoked; false when there is no such key.</summary>
    Task<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken);
}
