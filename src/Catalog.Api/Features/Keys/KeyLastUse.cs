using System.Collections.Concurrent;
using Catalog.Ledger;

namespace Catalog.Api.Features.Keys;

/// <summary>
/// Keeps <see cref="ApiKeyRecord.LastUsedAt"/> current without a write per request: a key's use is written when the
/// stored one is a minute old or more, and of the requests that find it so at once, only one writes.
/// </summary>
public sealed class KeyLastUse(IKeyStore keys, ILogger<KeyLastUse> logger)
{
    public static readonly TimeSpan Resolution = TimeSpan.FromMinutes(1);

    /// <summary>The last use each key was written with by this process (UTC ticks); changed under its own lock.</summary>
    private readonly ConcurrentDictionary<string, long> _written = new(StringComparer.Ordinal);

    private bool IsDue(ApiKeyRecord key, DateTimeOffset now) =>
        now.UtcTicks - Math.Max(key.LastUsedAt?.UtcTicks ?? 0, _written.GetValueOrDefault(key.Id)) >= Resolution.Ticks;

    public async Task RecordAsync(ApiKeyRecord key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!IsDue(key, now))
        {
            return;
        }

        lock (_written)
        {
            if (!IsDue(key, now))
            {
                return;
            }

            _written[key.Id] = now.UtcTicks;
        }

        try
        {
            await keys.TouchAsync(key.Id, now, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Recording the last use of key {KeyId} failed; the request goes on", key.Id);
        }
    }
}
