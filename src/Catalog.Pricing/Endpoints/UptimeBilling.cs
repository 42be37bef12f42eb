namespace Catalog.Pricing;

/// <summary>
/// What an endpoint's uptime cost in [<see cref="From"/>, <see cref="To"/>).
/// <see cref="TimeByStatus"/> is exact; minutes are billed per started minute.
/// </summary>
public sealed record UptimeBill(
    DateTimeOffset From,
    DateTimeOffset To,
    long BilledMinutes,
    long ReplicaMinutes,
    decimal CostUsd,
    IReadOnlyDictionary<EndpointStatus, TimeSpan> TimeByStatus,
    TimeSpan Uptime,
    EndpointEvent? LastEvent,
    DateTimeOffset? RunningSince)
{
    /// <summary>Uptime cost per million tokens served: what the tokens cost on this endpoint, to compare with serverless prices.</summary>
    public decimal? EffectiveUsdPerMtok(decimal tokens) => Money.PerMillionTokens(CostUsd, tokens);
}

/// <summary>
/// Bills an endpoint's status events the way Hugging Face bills uptime. Each event holds from its
/// <c>at</c> until the next one (the last until the end of the window, never past now); before the
/// first event nothing is known and nothing is billed. Events are de-duplicated and ordered by time
/// (at the same instant, the one received last holds). A session is an unbroken stretch of
/// initializing, updating and running with replicas; each session is billed per started minute
/// (61 seconds = 2 minutes), each minute at the most replicas it saw. A session cut by the window's
/// start is billed from that start.
/// </summary>
public static class UptimeBilling
{
    private const decimal MinutesPerHour = 60;

    /// <summary>The events without duplicates, in time order; events at the same instant keep the order they were received in.</summary>
    public static EndpointEvent[] Normalize(IEnumerable<EndpointEvent> events) =>
        [.. events.Distinct().OrderBy(e => e.At)];

    public static UptimeBill Bill(IEnumerable<EndpointEvent> events, decimal hourlyUsd, DateTimeOffset from, DateTimeOffset to, DateTimeOffset now)
    {
        var end = to < now ? to : now;
        var ordered = Normalize(events);
        var times = new Dictionary<EndpointStatus, TimeSpan>();
        var meter = new MinuteMeter();
        var uptime = TimeSpan.Zero;
        EndpointEvent? last = null;
        for (var i = 0; i < ordered.Length && ordered[i].At < end; i++)
        {
            var current = ordered[i];
            last = current;
            var start = current.At > from ? current.At : from;
            var stop = i + 1 < ordered.Length && ordered[i + 1].At < end ? ordered[i + 1].At : end;
            if (stop <= start)
            {
                continue;
            }

            times[current.Status] = times.GetValueOrDefault(current.Status) + (stop - start);
            if (current.Status.IsBilled() && current.Replicas > 0)
            {
                uptime += stop - start;
                meter.Add(start, stop, current.Replicas);
            }
            else
            {
                meter.Close();
            }
        }

        var runningSince = meter.SessionStart;
        meter.Close();
        var cost = Money.Round(hourlyUsd * meter.ReplicaMinutes / MinutesPerHour);
        return new UptimeBill(from, end > from ? end : from, meter.BilledMinutes, meter.ReplicaMinutes, cost, times, uptime, last, runningSince);
    }

    /// <summary>Counts started minutes from the start of each session; a minute shared by two stretches takes the larger replica count.</summary>
    private sealed class MinuteMeter
    {
        private long _openMinute = -1;
        private int _openReplicas;
        private long _lastMinute;

        public DateTimeOffset? SessionStart { get; private set; }

        public long BilledMinutes { get; private set; }

        public long ReplicaMinutes { get; private set; }

        public void Add(DateTimeOffset start, DateTimeOffset stop, int replicas)
        {
            SessionStart ??= start;
            var first = (start - SessionStart.Value).Ticks / TimeSpan.TicksPerMinute;
            var last = ((stop - SessionStart.Value).Ticks + TimeSpan.TicksPerMinute - 1) / TimeSpan.TicksPerMinute - 1;
            var next = first;
            if (first == _openMinute)
            {
                _openReplicas = Math.Max(_openReplicas, replicas);
                if (last == first)
                {
                    return;
                }

                next = first + 1;
            }

            FlushOpenMinute();
            ReplicaMinutes += (long)replicas * (last - next);
            _openMinute = last;
            _openReplicas = replicas;
            _lastMinute = last;
        }

        public void Close()
        {
            if (SessionStart is null)
            {
                return;
            }

            FlushOpenMinute();
            BilledMinutes += _lastMinute + 1;
            SessionStart = null;
        }

        private void FlushOpenMinute()
        {
            if (_openMinute >= 0)
            {
                ReplicaMinutes += _openReplicas;
                _openMinute = -1;
            }
        }
    }
}
