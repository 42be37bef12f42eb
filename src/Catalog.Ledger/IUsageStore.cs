using Catalog.Pricing;

namespace Catalog.Ledger;

/// <summary>
/// The usage ledger's storage. Every write is durable when its task completes, and the rollups behind
/// <see cref="SummarizeAsync"/> count it from then on (the PostgreSQL store changes them in the records' transaction; the
/// LiteDB store may hold a commit's sums in memory a while and counts them again from the records after a crash).
/// </summary>
public interface IUsageStore
{
    /// <summary>Stores each record unless its id is stored already; one result per record, in order.</summary>
    Task<IReadOnlyList<AppendResult>> AppendAsync(IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken);

    Task<UsageRecord?> FindAsync(string id, CancellationToken cancellationToken);

    /// <summary>Records matching <paramref name="filter"/>, newest first, after <paramref name="cursor"/> (from the previous page).</summary>
    /// <exception cref="FormatException">The cursor is not one this store returned.</exception>
    Task<UsagePage> ListAsync(UsageFilter filter, string? cursor, int limit, CancellationToken cancellationToken);

    /// <summary>Every record matching <paramref name="filter"/>, newest first, without holding them all in memory.</summary>
    IAsyncEnumerable<UsageRecord> StreamAsync(UsageFilter filter, CancellationToken cancellationToken);

    /// <summary>Totals over whole UTC days [from, to), read from the rollups (by endpoint or key id: from the dimension rollups).</summary>
    Task<UsageSummary> SummarizeAsync(DateOnly? from, DateOnly? to, SummaryGrouping groupBy, CancellationToken cancellationToken);

    /// <summary>
    /// Totals over whole UTC days [from, to) grouped by two dimensions at once (team × model ...), read from the rollups:
    /// each group keyed "<paramref name="first"/> · <paramref name="second"/>" with <see cref="SummaryGroup.Keys"/> naming both.
    /// </summary>
    Task<UsageSummary> SummarizeAsync(DateOnly? from, DateOnly? to, SummaryGrouping first, SummaryGrouping second, CancellationToken cancellationToken);

    /// <summary>
    /// Prices every matching record again with <paramref name="reprice"/>. With <paramref name="apply"/>, stores the
    /// new pricing (keeping the first one as <see cref="UsageRecord.Original"/>) and updates the rollups.
    /// </summary>
    Task<RecalculationResult> RecalculateAsync(UsageFilter filter, Func<UsageRecord, UsagePricing> reprice, bool apply, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes every record matching <paramref name="filter"/> and takes them out of the rollups, in the same
    /// transactions (a batch of records at a time); durable when the task completes. Returns how many were deleted.
    /// </summary>
    Task<long> DeleteAsync(UsageFilter filter, CancellationToken cancellationToken);

    /// <summary>
    /// Tokens served (input + output, summed exactly past 64 bits) by the calls tagged with <paramref name="endpoint"/> in
    /// [from, to), and when the latest was made: whole UTC days from the dimension rollups, the part of a day at either end from the calls.
    /// </summary>
    Task<EndpointUsage> EndpointUsageAsync(string endpoint, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}

public enum AppendOutcome
{
    /// <summary>Stored now.</summary>
    Created,

    /// <summary>The same id with the same body was stored before; <see cref="AppendResult.Record"/> is the first record.</summary>
    Duplicate,

    /// <summary>The same id with a different body was stored before; <see cref="AppendResult.Record"/> is the stored record.</summary>
    Conflict,
}

public sealed record AppendResult(AppendOutcome Outcome, UsageRecord Record);

/// <summary>
/// Which records: [from, to) by call timestamp; model and provider match the sent or the priced name;
/// user, team, app and endpoint as sent; <see cref="KeyId"/> the API key the call was recorded with; <see cref="Tag"/> one custom tag's value; <see cref="Status"/> the call's outcome;
/// <see cref="PricingSource"/> the resolution step that priced it.
/// </summary>
public sealed record UsageFilter(
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    string? Model = null,
    string? Provider = null,
    string? User = null,
    string? Team = null,
    string? Endpoint = null,
    string? App = null,
    UsageTag? Tag = null,
    CallStatus? Status = null,
    PricingSource? PricingSource = null,
    string? KeyId = null)
{
    /// <summary>True when only the time range is set: the rollups answer a summary of it.</summary>
    public bool IsTimeOnly => this == new UsageFilter(From, To);

    public bool Matches(UsageRecord record) =>
        (From is null || record.Timestamp >= From)
        && (To is null || record.Timestamp < To)
        && (Model is null || record.Model == Model || record.Pricing.ResolvedModel == Model)
        && (Provider is null || record.Provider == Provider || record.Pricing.Provider == Provider)
        && (User is null || record.User == User)
        && (Team is null || record.Team == Team)
        && (Endpoint is null || record.Endpoint == Endpoint)
        && (App is null || record.App == App)
        && (Tag is not { } tag || (record.Tags.TryGetValue(tag.Key, out var value) && value == tag.Value))
        && (Status is null || record.Status == Status)
        && (PricingSource is null || record.Pricing.PricingSource == PricingSource)
        && (KeyId is null || record.KeyId == KeyId);
}

/// <summary>A custom tag and its value (<c>tag=feature:search</c>).</summary>
public readonly record struct UsageTag(string Key, string Value);

/// <summary>A page of records; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record UsagePage(IReadOnlyList<UsageRecord> Items, string? NextCursor);

/// <param name="Scanned">Records looked at.</param>
/// <param name="Changed">Records whose pricing changes (or changed, when applied).</param>
/// <param name="DeltaUsd">New total minus old total over the changed records.</param>
public sealed record RecalculationResult(long Scanned, long Changed, decimal OldTotalUsd, decimal NewTotalUsd, decimal DeltaUsd);
