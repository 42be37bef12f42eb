using System.Text.Json;
using System.Text.Json.Serialization;
using Catalog.Api.Features.Usage;

namespace Catalog.Api.Features.Integrations;

/// <summary>
/// One entry of LiteLLM's standard logging payload (<c>StandardLoggingPayload</c> in litellm/types/utils.py) as
/// its generic API logger sends it: the fields Catalog reads. The others (messages, response, model_parameters,
/// ...) are accepted and not stored.
/// </summary>
/// <param name="Id">The response id: the idempotency key. A cache hit's id ends in "_cache_hit" and a time.</param>
/// <param name="CallType">Stored as endpoint (acompletion, aembedding, ...).</param>
/// <param name="Model">The deployment's model, priced when the catalogue does not know model_group.</param>
/// <param name="ModelGroup">The public name the user asked the proxy for; priced when the catalogue knows it.</param>
/// <param name="CustomLlmProvider">Stored as provider.</param>
/// <param name="PromptTokens">Every prompt token, cached ones included (cache counts come from metadata.usage_object).</param>
/// <param name="ResponseCost">LiteLLM's cost, kept exactly as reported_cost_usd (none when response_cost_failure_debug_info is set).</param>
/// <param name="StartTime">Unix epoch seconds: the call's timestamp.</param>
/// <param name="EndTime">Unix epoch seconds: endTime - startTime is the latency.</param>
/// <param name="Status">success or failure (stored as error).</param>
/// <param name="CacheHit">True: answered from LiteLLM's cache, at no provider cost; not recorded (answered "skipped_cache_hit").</param>
/// <param name="EndUser">Tag litellm_end_user when metadata has no user_api_key_end_user_id.</param>
/// <param name="ApiBase">The endpoint called: a regional one (eu.api.openai.com, us-east5-aiplatform.googleapis.com, bedrock-runtime.us-west-2.amazonaws.com) is stored as region.</param>
/// <param name="HiddenParams">Its usage_object is read when metadata has none; its api_base when api_base is absent.</param>
public sealed record LiteLlmSpendLog(
    string Id,
    string? CallType,
    string? Model,
    string? ModelGroup,
    string? CustomLlmProvider,
    long? PromptTokens,
    long? CompletionTokens,
    decimal? ResponseCost,
    [property: JsonPropertyName("startTime")] decimal StartTime,
    [property: JsonPropertyName("endTime")] decimal? EndTime,
    string? Status,
    bool? CacheHit,
    string? EndUser,
    string? ApiBase,
    LiteLlmMetadata? Metadata,
    JsonElement? HiddenParams,
    JsonElement? ResponseCostFailureDebugInfo);

/// <summary>The parts of LiteLLM's <c>StandardLoggingMetadata</c> Catalog reads.</summary>
/// <param name="UserApiKeyAlias">The virtual key's alias: stored as app.</param>
/// <param name="UserApiKeyUserId">Stored as user.</param>
/// <param name="UserApiKeyTeamAlias">Stored as team (else the team id).</param>
/// <param name="UserApiKeyTeamId">Tag litellm_team_id.</param>
/// <param name="UserApiKeyEndUserId">Tag litellm_end_user.</param>
/// <param name="UsageObject">LiteLLM's usage: prompt_tokens_details.cached_tokens / cache_creation_tokens (or cache_read_input_tokens / cache_creation_input_tokens) price cached tokens.</param>
public sealed record LiteLlmMetadata(
    string? UserApiKeyAlias,
    string? UserApiKeyUserId,
    string? UserApiKeyTeamAlias,
    string? UserApiKeyTeamId,
    string? UserApiKeyEndUserId,
    JsonElement? UsageObject);

/// <summary>How each entry went, in the order sent (an entry of NDJSON is a line).</summary>
/// <param name="Skipped">Cache hits: answered by LiteLLM's cache at no provider cost, not recorded.</param>
/// <param name="Results">Per entry: 201 created, 200 duplicate (same id and entry again) or skipped_cache_hit, 409 conflict (same id, another entry), 400 invalid with its problem by field ("[3].startTime").</param>
public sealed record LiteLlmIngestResponse(int Created, int Duplicates, int Skipped, int Rejected, IReadOnlyList<UsageBatchResult> Results);
