using System.Text.Json;
using Catalog.Ledger;

namespace Catalog.Api.Features.Usage;

/// <summary>One LLM call made through the gateway.</summary>
/// <param name="Id">Your request id: the idempotency key (at most 128 characters).</param>
/// <param name="Model">The model name as your application sent it.</param>
/// <param name="Provider">The provider that served the call, if known.</param>
/// <param name="Usage">Token counts as the provider returned them (canonical, OpenAI, Anthropic or Google shape), or left out to estimate.</param>
/// <param name="Timestamp">When the call was made (default: when it is received); at most 5 minutes ahead of the server clock.</param>
/// <param name="Status">success (default) or error.</param>
/// <param name="Tags">Up to 16 custom string tags.</param>
/// <param name="ReportedCostUsd">What the gateway says the call cost, kept beside our price; the summary lists models where the two differ by more than 1%. Default: the usage's own cost (OpenRouter's usage.cost).</param>
/// <param name="ServiceTier">The service tier the call was served in (batch, flex, priority ...; default and auto are standard); default: the usage's own service_tier.</param>
/// <param name="Region">The region the call was served in (data residency, such as us); default: the usage's inference_geo.</param>
public sealed record UsageCallRequest(
    string Id,
    string Model,
    string? Provider = null,
    JsonElement? Usage = null,
    DateTimeOffset? Timestamp = null,
    long? LatencyMs = null,
    CallStatus? Status = null,
    string? User = null,
    string? Team = null,
    string? App = null,
    string? Endpoint = null,
    Dictionary<string, string>? Tags = null,
    decimal? ReportedCostUsd = null,
    string? ServiceTier = null,
    string? Region = null);

public sealed record UsageBatchRequest(UsageCallRequest[] Items);

/// <summary>How each item of a batch went, in request order.</summary>
/// <param name="Status">201 stored, 200 already stored with the same body, 409 same id with another body, 400 invalid.</param>
/// <param name="Outcome">created, duplicate, conflict or invalid.</param>
/// <param name="Problem">Why the item was not stored: a validation problem (errors by field) or a conflict.</param>
public sealed record UsageBatchResult(int Index, string? Id, int Status, string Outcome, decimal? TotalUsd, object? Problem);

public sealed record UsageBatchResponse(int Created, int Duplicates, int Rejected, IReadOnlyList<UsageBatchResult> Results);

/// <param name="NextCursor">Pass as <c>cursor</c> for the next page; null on the last page.</param>
public sealed record UsageListResponse(IReadOnlyList<UsageRecord> Items, string? NextCursor);

/// <param name="Changed">Calls whose pricing changes (dry run) or changed.</param>
/// <param name="DeltaUsd">New minus old total over the changed calls.</param>
/// <param name="CatalogVersion">The catalogue the calls were priced with.</param>
public sealed record RecalculationResponse(bool DryRun, long Scanned, long Changed, decimal OldTotalUsd, decimal NewTotalUsd, decimal DeltaUsd, string CatalogVersion);
