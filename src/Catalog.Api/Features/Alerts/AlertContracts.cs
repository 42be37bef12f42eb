using Catalog.Ledger.Alerts;

namespace Catalog.Api.Features.Alerts;

public sealed record AlertList(AlertRecord[] Open, AlertRecord[] Past, DateTimeOffset? LastEvaluatedAt, bool WebhookConfigured);
