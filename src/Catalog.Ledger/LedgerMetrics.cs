using System.Diagnostics;
using System.Diagnostics.Metrics;
using Catalog.Pricing;

namespace Catalog.Ledger;

/// <summary>
/// The ledger's instruments on the service's meter (<see cref="MeterName"/>): what the group commit writes, how
/// long it takes and how much waits for it. One measurement per commit, not per call, except the queue length.
/// </summary>
public static class LedgerMetrics
{
    /// <summary>The service's meter; the API's instruments are on it too.</summary>
    public const string MeterName = "Catalog";

    private static readonly Meter Meter = new(MeterName, ProductVersion.Current);

    private static readonly Counter<long> Commits = Meter.CreateCounter<long>(
        "catalog.ingest.commits", "{commit}", "Group commits of recorded calls, by outcome (ok, failed)");

    private static readonly Histogram<long> CommitSizes = Meter.CreateHistogram<long>(
        "catalog.ingest.commit.size", "{call}", "Calls written by one group commit",
        advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 20_000] });

    private static readonly Histogram<double> CommitDurations = Meter.CreateHistogram<double>(
        "catalog.ingest.commit.duration", "s", "Time one group commit takes, durable on disk included",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });

    private static readonly Histogram<double> FsyncDurations = Meter.CreateHistogram<double>(
        "catalog.ingest.fsync.duration", "s", "Time one fsync of the LiteDB file or its log takes",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1] });

    private static readonly UpDownCounter<long> Queued = Meter.CreateUpDownCounter<long>(
        "catalog.ingest.queue.length", "{call}", "Calls waiting for the group commit");

    public static void Enqueued(long calls) => Queued.Add(calls);

    public static void Dequeued(long calls) => Queued.Add(-calls);

    public static void Committed(int calls, long startedTimestamp, bool ok)
    {
        Commits.Add(1, new KeyValuePair<string, object?>("outcome", ok ? "ok" : "failed"));
        if (ok)
        {
            CommitSizes.Record(calls);
            CommitDurations.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds);
        }
    }

    public static void Fsynced(long startedTimestamp) => FsyncDurations.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds);
}
