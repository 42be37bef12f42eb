using System.Text.Json.Serialization;
using Catalog.Api.Features.Alerts;
using Catalog.Api.Features.Budgets;
using Catalog.Api.Features.Catalog;
using Catalog.Api.Features.Cost;
using Catalog.Api.Features.Endpoints;
using Catalog.Api.Features.Health;
using Catalog.Api.Features.Integrations;
using Catalog.Api.Features.Keys;
using Catalog.Api.Features.Models;
using Catalog.Api.Features.Usage;
using Catalog.Ledger;
using Catalog.Ledger.Budgets;
using Catalog.Pricing;
using Microsoft.AspNetCore.Mvc;

namespace Catalog.Api.Http;

/// <summary>
/// The request and response contracts' serialization metadata, generated at build time (System.Text.Json source
/// generation) instead of reflected at run time. It is first in the service's resolver chain (<see cref="Json"/>),
/// under the service's own options (snake_case, exact decimals, UTC times), so the bytes are those the reflection
/// resolver wrote; a type not listed here falls through to reflection.
/// </summary>
[JsonSerializable(typeof(CostRequest))]
[JsonSerializable(typeof(CostBatchRequest))]
[JsonSerializable(typeof(CostResponse))]
[JsonSerializable(typeof(CostBatchResponse))]
[JsonSerializable(typeof(UsageCallRequest))]
[JsonSerializable(typeof(UsageBatchRequest))]
[JsonSerializable(typeof(UsageRecord))]
[JsonSerializable(typeof(UsageBatchResponse))]
[JsonSerializable(typeof(UsageListResponse))]
[JsonSerializable(typeof(RecalculationResponse))]
[JsonSerializable(typeof(UsageSummary))]
[JsonSerializable(typeof(LiteLlmSpendLog[]))]
[JsonSerializable(typeof(LiteLlmIngestResponse))]
[JsonSerializable(typeof(CatalogSummary))]
[JsonSerializable(typeof(ModelPage))]
[JsonSerializable(typeof(ModelExplanation))]
[JsonSerializable(typeof(ItemList<AliasView>))]
[JsonSerializable(typeof(CreateKeyRequest))]
[JsonSerializable(typeof(CreatedKey))]
[JsonSerializable(typeof(ItemList<ApiKeyInfo>))]
[JsonSerializable(typeof(CreateBudgetRequest))]
[JsonSerializable(typeof(BudgetStatus))]
[JsonSerializable(typeof(BudgetList))]
[JsonSerializable(typeof(AlertList))]
[JsonSerializable(typeof(ItemList<EndpointInfo>))]
[JsonSerializable(typeof(EstimateRequest))]
[JsonSerializable(typeof(EstimateResponse))]
[JsonSerializable(typeof(EndpointEventRequest))]
[JsonSerializable(typeof(EventsRecorded))]
[JsonSerializable(typeof(EndpointEventList))]
[JsonSerializable(typeof(EndpointCost))]
[JsonSerializable(typeof(EndpointCostList))]
[JsonSerializable(typeof(EndpointWarningList))]
[JsonSerializable(typeof(HealthAnswer))]
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(HttpValidationProblemDetails))]
internal sealed partial class CatalogJsonContext : JsonSerializerContext;
