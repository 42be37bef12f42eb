using System.Security.Cryptography;
using System.Text;
using Catalog.Api.Features.Keys;
using Catalog.Api.Http;
using Catalog.Ledger;
using Microsoft.AspNetCore.Mvc;

namespace Catalog.Api.Features.Usage;

/// <summary>
/// Erasure of one person's calls (a GDPR request): <c>DELETE /v1/usage?user=…</c> deletes every call sent with that
/// <c>user</c> from the ledger and the rollups, and leaves one audit line: which key asked, when, and how many calls
/// went, with a hash of the user (never the user as sent, nor the key).
/// </summary>
public static class UsageErasure
{
    public static async Task<IResult> EraseUser([AsParameters] ErasureQuery query, HttpContext context, IUsageStore store, TimeProvider clock, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(query.User))
        {
            return Problems.Validation("user", "send the user whose calls to delete: DELETE /v1/usage?user=<the user field of their calls>");
        }

        var deleted = await store.DeleteAsync(new UsageFilter(User: query.User), cancellationToken);
        var at = clock.GetUtcNow();
        loggers.CreateLogger("Catalog.Audit").LogInformation(
            "Erasure: key {KeyId} deleted {Deleted} calls of user sha256:{UserHash} at {At:O}",
            ApiKeys.KeyIdOf(context.User),
            deleted,
            UserHash(query.User),
            at);
        return TypedResults.Ok(new ErasureResult(query.User, deleted, at));
    }

    /// <summary>The first 16 hex digits of the user's SHA-256: an auditor who knows the user can match the line; the log holds no name.</summary>
    public static string UserHash(string user) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(user)))[..16];
}

public sealed class ErasureQuery
{
    /// <summary>The <c>user</c> of the calls to delete, exactly as sent.</summary>
    [FromQuery(Name = "user")]
    public string? User { get; set; }
}

/// <param name="Deleted">Calls deleted (0 when the ledger had none of that user).</param>
public sealed record ErasureResult(string User, long Deleted, DateTimeOffset DeletedAt);
