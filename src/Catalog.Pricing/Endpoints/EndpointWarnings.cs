using System.Globalization;
using static System.FormattableString;

namespace Catalog.Pricing;

public enum EndpointWarningKind
{
    /// <summary>Running with no usage for longer than its scale-to-zero window.</summary>
    IdleRunning,

    /// <summary>min_replicas ≥ 1, up around the clock, serving little.</summary>
    AlwaysOnLowUse,
}

/// <summary>An endpoint that costs money for nothing: what it wastes a week if left as it is, and the fix.</summary>
public sealed record EndpointWarning(
    string EndpointId,
    EndpointWarningKind Kind,
    string Message,
    string Fix,
    decimal ProjectedWeeklyWasteUsd,
    decimal? EffectiveUsdPerMtok);

/// <summary>
/// The thresholds of the warnings. <see cref="DefaultScaleToZeroMinutes"/> is the idle window for an
/// endpoint without <c>scale_to_zero_after_minutes</c> (the seed's advice: 15). Around the clock means up for at least
/// <see cref="AlwaysOnShare"/> of the last <see cref="Lookback"/> (at least a day observed); low use is under
/// <see cref="LowUseTokensPerHour"/> tokens per hour up (a 7B model on one L4 serves far more than that).
/// </summary>
public sealed record WarningPolicy(TimeSpan Lookback, decimal AlwaysOnShare, long LowUseTokensPerHour, int DefaultScaleToZeroMinutes)
{
    public static WarningPolicy Default { get; } = new(TimeSpan.FromDays(7), 0.95m, 100_000, 15);
}

public static class EndpointWarnings
{
    private const decimal HoursPerWeek = 24 * 7;
    private static readonly TimeSpan MinimumObserved = TimeSpan.FromDays(1);

    /// <summary>
    /// The warning for one endpoint at <paramref name="now"/>, or null. <paramref name="usage"/> covers the
    /// lookback window. An endpoint up around the clock at low use gets that warning (it subsumes being
    /// idle now); otherwise one running idle past its window gets the idle warning.
    /// </summary>
    public static EndpointWarning? Check(EndpointInfo endpoint, IEnumerable<EndpointEvent> events, EndpointUsage usage, DateTimeOffset now, WarningPolicy? policy = null)
    {
        policy ??= WarningPolicy.Default;
        var ordered = UptimeBilling.Normalize(events);
        if (ordered.Length == 0)
        {
            return null;
        }

        var windowStart = now - policy.Lookback;
        var bill = UptimeBilling.Bill(ordered, endpoint.HourlyUsd, windowStart, now, now);
        return AlwaysOnLowUse(endpoint, ordered[0].At, bill, usage.Tokens, now, policy)
            ?? IdleRunning(endpoint, bill, usage, now, policy);
    }

    private static EndpointWarning? AlwaysOnLowUse(EndpointInfo endpoint, DateTimeOffset firstEvent, UptimeBill bill, decimal tokens, DateTimeOffset now, WarningPolicy policy)
    {
        var observed = now - (firstEvent > bill.From ? firstEvent : bill.From);
        if (endpoint.MinReplicas < 1 || observed < MinimumObserved)
        {
            return null;
        }

        var upHours = (decimal)bill.Uptime.Ticks / TimeSpan.TicksPerHour;
        var share = upHours / ((decimal)observed.Ticks / TimeSpan.TicksPerHour);
        if (share < policy.AlwaysOnShare || tokens >= policy.LowUseTokensPerHour * upHours)
        {
            return null;
        }

        var weekly = endpoint.HourlyUsd * endpoint.MinReplicas * HoursPerWeek;
        var effective = bill.EffectiveUsdPerMtok(tokens);
        var perMtok = effective is null ? "no tokens recorded" : Invariant($"{effective} USD per million tokens served");
        return new EndpointWarning(
            endpoint.Id,
            EndpointWarningKind.AlwaysOnLowUse,
            Invariant($"'{endpoint.Id}' has min_replicas {endpoint.MinReplicas} and was up {Math.Round(share * 100, 1)}% of the last {Math.Round((decimal)observed.TotalHours, 1)} hours serving {tokens} tokens ({perMtok}); it costs {weekly} USD a week whether or not anyone calls it"),
            $"set min_replicas to 0 with scale_to_zero_after_minutes {endpoint.ScaleToZeroAfterMinutes ?? policy.DefaultScaleToZeroMinutes}, or pause it outside the hours it is used; at this volume a serverless provider priced per token is likely cheaper",
            weekly,
            effective);
    }

    private static EndpointWarning? IdleRunning(EndpointInfo endpoint, UptimeBill bill, EndpointUsage usage, DateTimeOffset now, WarningPolicy policy)
    {
        if (bill.RunningSince is not { } runningSince || bill.LastEvent is not { } state)
        {
            return null;
        }

        var lastUse = usage.LastUsedAt;
        var idleSince = lastUse > runningSince ? lastUse.Value : runningSince;
        var idle = now - idleSince;
        var window = endpoint.ScaleToZeroAfterMinutes ?? policy.DefaultScaleToZeroMinutes;
        if (idle <= TimeSpan.FromMinutes(window))
        {
            return null;
        }

        var minutes = Math.Floor(idle.TotalMinutes).ToString(CultureInfo.InvariantCulture);
        var idleFor = idleSince == bill.From ? "at least " + minutes : minutes;
        var noUse = lastUse > runningSince ? $"no usage since {lastUse:O}" : "no usage recorded";
        var fix = endpoint.ScaleToZeroAfterMinutes is null
            ? $"pause it now (endpoint.pause()), and set min_replicas 0 with scale_to_zero_after_minutes {policy.DefaultScaleToZeroMinutes} so it stops by itself"
            : $"pause it now (endpoint.pause()); it should have scaled to zero after {window} idle minutes, so check its min_replicas and what still calls it";
        return new EndpointWarning(
            endpoint.Id,
            EndpointWarningKind.IdleRunning,
            $"'{endpoint.Id}' has been {state.Status.ToWire()} with {state.Replicas} replica(s) for {idleFor} minutes with {noUse}, longer than its {window}-minute scale-to-zero window",
            fix,
            endpoint.HourlyUsd * state.Replicas * HoursPerWeek,
            bill.EffectiveUsdPerMtok(usage.Tokens));
    }
}
