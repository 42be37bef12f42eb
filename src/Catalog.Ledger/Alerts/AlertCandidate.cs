namespace Catalog.Ledger.Alerts;

/// <summary>An alert the rules want open now. <see cref="Key"/> is stable, so one condition alerts once.</summary>
public sealed record AlertCandidate(string Key, string RuleId, string Kind, string Title, string Message, decimal? ValueUsd, decimal? ThresholdUsd, bool ClosesAtEndOfDay);
