using System.Globalization;

namespace Catalog.Api.Http;

/// <summary>
/// How many memory-heavy requests run at once: batch bodies over <see cref="LargeBodyBytes"/> (or of unknown
/// length), and CSV exports. Each is held in memory or streams hundreds of MB through the garbage collector;
/// beyond <c>Limits:LargeBodies</c> (default 4) or <c>Limits:Exports</c> (default 2) at once, the next one is
/// answered 503 with Retry-After at once instead of waiting, so memory stays bounded and the client retries.
/// </summary>
public sealed class HeavyRequests
{
    /// <summary>Batch bodies larger than this (1 MB) count as large.</summary>
    public const long LargeBodyBytes = 1024 * 1024;

    private const int RetryAfterSeconds = 2;

    public HeavyRequests(LimitOptions limits)
    {
        LargeBodies = new SemaphoreSlim(limits.LargeBodies);
        Exports = new SemaphoreSlim(limits.Exports);
    }

    public SemaphoreSlim LargeBodies { get; }

    public SemaphoreSlim Exports { get; }

    /// <summary>
    /// Takes a place for the rest of <paramref name="context"/>'s request (it is given back when the response is
    /// done), or answers with the 503 to send when every place is taken.
    /// </summary>
    public static IResult? Enter(HttpContext context, SemaphoreSlim gate, string what)
    {
        if (!gate.Wait(0))
        {
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Too many large requests at once",
                detail: $"The service is already handling as many {what} as it holds in memory at once; retry after {RetryAfterSeconds} s, or send smaller batches (up to 1 MB each are not limited).");
        }

        context.Response.RegisterForDispose(new Release(gate));
        return null;
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }
}

/// <summary><c>Limits:LargeBodies</c> (default 4) and <c>Limits:Exports</c> (default 2): see <see cref="HeavyRequests"/>.</summary>
public sealed class LimitOptions
{
    public int LargeBodies { get; set; } = 4;

    public int Exports { get; set; } = 2;

    public static string? Problem(LimitOptions options) => Settings.FirstProblem(
        (options.LargeBodies < 1, $"Limits:LargeBodies='{options.LargeBodies}' is not a whole number of 1 or more. Set it (default 4) or remove it."),
        (options.Exports < 1, $"Limits:Exports='{options.Exports}' is not a whole number of 1 or more. Set it (default 2) or remove it."));
}
