namespace Catalog.Ledger;

/// <summary>An API key as stored: never the key itself, only a SHA-256 hash of it.</summary>
/// <param name="RequestsPerSecond">This key's rate limit; null = the configured default.</param>
public sealed record ApiKeyRecord(
    string Id,
    string Name,
    IReadOnlyList<string> Scopes,
    byte[] KeyHash,
    int? RequestsPerSecond,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt);

public interface IKeyStore
{
    /// <summary>Stores a new key; durable when the task completes.</summary>
    Task CreateAsync(ApiKeyRecord key, CancellationToken cancellationToken);

    /// <summary>The key with this id, revoked or not. Called on every authenticated request: keep it cheap.</summary>
    ValueTask<ApiKeyRecord?> FindAsync(string id, CancellationToken cancellationToken);

    Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Marks the key revoked; false when there is no such key.</summary>
    Task<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken);
}
