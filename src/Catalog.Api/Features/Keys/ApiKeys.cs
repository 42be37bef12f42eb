using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Threading.RateLimiting;
using Catalog.Api.Http;
using Catalog.Ledger;
using Catalog.Pricing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Catalog.Api.Features.Keys;

/// <summary>Key settings: <c>Keys:RequestsPerSecond</c> is the default rate limit of a key.</summary>
public sealed class KeyOptions
{
    public int RequestsPerSecond { get; set; } = 10_000;

    /// <summary>Failed authentications a client address may make per window before it is answered 429.</summary>
    public int FailedAuthPerWindow { get; set; } = 20;

    public int FailedAuthWindowSeconds { get; set; } = 60;

    /// <summary>SHA-256 of <c>CATALOG_ADMIN_KEY</c>, or null when it is not set.</summary>
    public byte[]? AdminKeyHash { get; set; }

    public static string? Problem(KeyOptions options) => Settings.FirstProblem(
        (options.RequestsPerSecond < 1, $"Keys:RequestsPerSecond is {options.RequestsPerSecond}; set it to a whole number of 1 or more (default 10000) or remove it."),
        (options.FailedAuthPerWindow < 1 || options.FailedAuthWindowSeconds < 1,
            "Keys:FailedAuthPerWindow and Keys:FailedAuthWindowSeconds must be 1 or more (defaults 20 and 60). Set them to whole numbers, or remove them."));
}

/// <summary>
/// Bearer API keys with scopes (ingest, read, admin; admin may do everything). A key reads
/// <c>cat_&lt;id&gt;_&lt;secret&gt;</c>; the store keeps only its SHA-256, compared in constant time.
/// </summary>
public static class ApiKeys
{
    public const string Scheme = "Bearer";
    public const string Ingest = "ingest";
    public const string Read = "read";
    public const string Admin = "admin";
    public const string RateLimitPolicy = "per-key";

    /// <summary>Any valid key, whatever its scopes (for /v1/cost when Cost:RequireKey is true).</summary>
    public const string AnyKey = "any-key";
    public const string AdminKeyId = "admin";

    public static readonly string[] Scopes = [Ingest, Read, Admin];

    private const string ScopeClaim = "scope";
    private const string KeyIdClaim = "key_id";

    /// <summary>The id of the key that authenticated the request (<see cref="AdminKeyId"/> for CATALOG_ADMIN_KEY); null when none did.</summary>
    public static string? KeyIdOf(ClaimsPrincipal user) => user.FindFirst(KeyIdClaim)?.Value;
    private const string RateClaim = "requests_per_second";

    public static WebApplicationBuilder AddApiKeys(this WebApplicationBuilder builder)
    {
        builder.Services.AddSettings<KeyOptions>("Keys", KeyOptions.Problem)
            .Configure<IConfiguration>((options, configuration) =>
            {
                var adminKey = configuration["CATALOG_ADMIN_KEY"];
                options.AdminKeyHash = string.IsNullOrWhiteSpace(adminKey) ? null : Hash(adminKey.Trim());
            });
        builder.Services.AddSingleton<FailedAuthThrottle>();
        builder.Services.AddSingleton<KeyLastUse>();
        builder.Services.AddAuthentication(Scheme).AddScheme<AuthenticationSchemeOptions, KeyAuthenticationHandler>(Scheme, null);
        builder.Services.AddAuthorization(authorization =>
        {
            authorization.AddPolicy(AnyKey, policy => policy.RequireAuthenticatedUser());
            foreach (var scope in Scopes)
            {
                authorization.AddPolicy(scope, policy => policy.RequireAssertion(context =>
                    context.User.HasClaim(ScopeClaim, scope) || context.User.HasClaim(ScopeClaim, Admin)));
            }
        });
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(RateLimitPolicy, context =>
            {
                var id = context.User.FindFirst(KeyIdClaim)?.Value;
                if (id is null)
                {
                    return RateLimitPartition.GetNoLimiter(string.Empty);
                }

                var perSecond = int.Parse(context.User.FindFirst(RateClaim)!.Value, CultureInfo.InvariantCulture);
                return RateLimitPartition.GetTokenBucketLimiter(id, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = perSecond,
                    TokensPerPeriod = perSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await TypedResults.Problem(
                    statusCode: StatusCodes.Status429TooManyRequests,
                    title: "Too many requests",
                    detail: $"This key's rate limit is reached; retry after {seconds} s, or ask an admin for a key with a higher requests_per_second.").ExecuteAsync(context.HttpContext);
            };
        });
        return builder;
    }

    /// <summary>Authentication, then scopes, then the per-key rate limit (so a bad key is a 401, not a 429).</summary>
    public static WebApplication UseApiKeys(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>A new key: its id and the key text, shown once.</summary>
    public static (string Id, string Key) Generate()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        return (id, $"cat_{id}_{secret}");
    }

    private static string? IdOf(string key) =>
        key.StartsWith("cat_", StringComparison.Ordinal) && key.Length > 21 && key[20] == '_' ? key[4..20] : null;

    /// <summary>Reads <c>Authorization: Bearer &lt;key&gt;</c>; no header means anonymous (a 401 where a scope is required).</summary>
    private sealed class KeyAuthenticationHandler(
        IOptionsMonitor<AuthenticationSchemeOptions> options,
        ILoggerFactory logger,
        UrlEncoder encoder,
        IKeyStore keys,
        KeyOptions settings,
        FailedAuthThrottle throttle,
        KeyLastUse lastUse,
        TimeProvider clock) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        private const string ThrottledItem = "catalog.auth.retry_after";
        private const string ExpiredItem = "catalog.auth.expired";

        protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var header = Request.Headers.Authorization.ToString();
            if (header.Length == 0)
            {
                return AuthenticateResult.NoResult();
            }

            var address = Context.Connection.RemoteIpAddress;
            if (throttle.RetryAfter(address) is { } wait)
            {
                Context.Items[ThrottledItem] = wait;
                return AuthenticateResult.Fail("too many failed authentications from this address");
            }

            var result = await AuthenticateKeyAsync(header);
            if (result.Failure is not null)
            {
                throttle.RecordFailure(address);
            }

            return result;
        }

        private async Task<AuthenticateResult> AuthenticateKeyAsync(string header)
        {
            if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                return AuthenticateResult.Fail("send the key as 'Authorization: Bearer <key>'");
            }

            var presented = header["Bearer ".Length..].Trim();
            var hash = Hash(presented);
            if (settings.AdminKeyHash is { } admin && CryptographicOperations.FixedTimeEquals(hash, admin))
            {
                return Success(AdminKeyId, Scopes, settings.RequestsPerSecond);
            }

            var key = IdOf(presented) is { } id ? await keys.FindAsync(id, Context.RequestAborted) : null;
            if (key is null || key.RevokedAt is not null || !CryptographicOperations.FixedTimeEquals(hash, key.KeyHash))
            {
                return AuthenticateResult.Fail("the key is not valid or was revoked");
            }

            var now = clock.GetUtcNow();
            if (key.ExpiresAt <= now)
            {
                Context.Items[ExpiredItem] = key;
                return AuthenticateResult.Fail("the key expired");
            }

            await lastUse.RecordAsync(key, now, Context.RequestAborted);
            return Success(key.Id, key.Scopes, key.RequestsPerSecond ?? settings.RequestsPerSecond);
        }

        protected override Task HandleChallengeAsync(AuthenticationProperties properties)
        {
            if (Context.Items[ThrottledItem] is TimeSpan wait)
            {
                var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
                Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status429TooManyRequests,
                    title: "Too many failed authentications",
                    detail: $"More than {settings.FailedAuthPerWindow} requests from this address presented a key that is not valid within {settings.FailedAuthWindowSeconds} s; retry after {seconds} s with a valid key.").ExecuteAsync(Context);
            }

            Response.Headers.WWWAuthenticate = ApiKeys.Scheme;
            if (Context.Items[ExpiredItem] is ApiKeyRecord expired)
            {
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status401Unauthorized,
                    title: "The API key expired",
                    detail: $"Key '{expired.Id}' ({expired.Name}) expired at {expired.ExpiresAt:yyyy-MM-ddTHH:mm:ssZ}. Ask an admin for a new key (POST /v1/keys, with a later expires_at or none).").ExecuteAsync(Context);
            }

            return TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "An API key is required",
                detail: "Send 'Authorization: Bearer <key>' with a valid, unrevoked key. An admin creates keys with POST /v1/keys (the first admin key is CATALOG_ADMIN_KEY).").ExecuteAsync(Context);
        }

        protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
            TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "The key lacks the scope for this",
                detail: "Recording calls needs the 'ingest' scope, reading usage and analytics 'read', keys and recalculation 'admin'. Ask an admin for a key with that scope.").ExecuteAsync(Context);

        private AuthenticateResult Success(string id, IEnumerable<string> scopes, int requestsPerSecond)
        {
            var claims = new List<Claim> { new(KeyIdClaim, id), new(RateClaim, requestsPerSecond.ToString(CultureInfo.InvariantCulture)) };
            claims.AddRange(scopes.Select(scope => new Claim(ScopeClaim, scope)));
            return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, ApiKeys.Scheme)), ApiKeys.Scheme));
        }
    }
}
