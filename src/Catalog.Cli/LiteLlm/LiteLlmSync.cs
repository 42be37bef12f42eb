using System.Text.Json;
using Catalog.Cli.Catalogue;
using Catalog.Catalogue.Model;
using Catalog.Catalogue.Parsing;
using Catalog.Pricing;
using static Catalog.Cli.LiteLlm.LiteLlmEntry;

namespace Catalog.Cli.LiteLlm;

/// <summary>One name the proxy serves and what sync does about it.</summary>
internal sealed record SyncRow(string ServedName, string Underlying, string Action, string Detail);

/// <summary>What syncing with a proxy would add: aliases for the names it serves, and the models they need.</summary>
internal sealed class SyncPlan
{
    public List<SyncRow> Rows { get; } = [];

    public List<NewModel> Models { get; } = [];

    public List<NewAlias> Aliases { get; } = [];

    /// <summary>Entries of the answer that could not be read, one message each.</summary>
    public List<string> Problems { get; } = [];

    public bool IsEmpty => Models.Count == 0 && Aliases.Count == 0;
}

/// <summary>
/// Plans <c>catalog sync litellm</c> from a proxy's <c>GET /model/info</c>: every served name
/// (<c>model_name</c>) the catalogue does not price gets an alias to the underlying model
/// (<c>litellm_params.model</c>) when the catalogue prices it; otherwise a new model with the proxy's
/// prices (<c>model_info</c>), or with the catalogue's fallback prices marked needs_review.
/// </summary>
internal static class LiteLlmSync
{
    public const string NeedsReview = "needs_review";

    public static SyncPlan Plan(JsonElement answer, CatalogDoc catalogue, string proxyUrl, DateOnly today)
    {
        if (answer.ValueKind != JsonValueKind.Object || !answer.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
        {
            throw new CliException("the proxy's /model/info answer has no 'data' list; is --url a LiteLLM proxy?");
        }

        var engine = RuntimeCatalog.Engine(catalogue);
        var providers = catalogue.Providers.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var served = new HashSet<string>(StringComparer.Ordinal);
        var plannedModels = new Dictionary<string, NewModel>(StringComparer.Ordinal);
        var plan = new SyncPlan();
        var index = -1;
        foreach (var entry in data.EnumerateArray())
        {
            index++;
            var name = Text(entry, "model_name");
            if (entry.ValueKind != JsonValueKind.Object || name is null)
            {
                plan.Problems.Add($"data[{index}] has no 'model_name'; skipped");
                continue;
            }

            if (!served.Add(name))
            {
                continue; // another deployment behind the same name
            }

            var underlying = entry.TryGetProperty("litellm_params", out var parameters) ? Text(parameters, "model") : null;
            var info = entry.TryGetProperty("model_info", out var i) && i.ValueKind == JsonValueKind.Object ? i : default;
            var known = engine.Resolve(name);
            if (!known.Source.IsGuess())
            {
                plan.Rows.Add(new SyncRow(name, underlying ?? "?", "priced", $"{known.Source.ToWire()} -> {known.ResolvedModel}"));
                continue;
            }

            if (underlying is null)
            {
                plan.Problems.Add($"data[{index}] ('{name}') has no 'litellm_params.model'; skipped");
                continue;
            }

            var skip = WhySkip(name, info);
            if (skip is not null)
            {
                plan.Rows.Add(new SyncRow(name, underlying, "skipped", skip));
                continue;
            }

            var (litellmProvider, id) = LiteLlmProviders.Split(underlying);
            litellmProvider ??= Text(info, "litellm_provider");
            var provider = LiteLlmProviders.Map(litellmProvider);
            var target = Priced(engine, underlying, id, provider);
            if (target is not null)
            {
                plan.Aliases.Add(new NewAlias(name, target, $"added by catalog sync litellm: {proxyUrl} serves '{name}' as '{underlying}'"));
                plan.Rows.Add(new SyncRow(name, underlying, "add alias", "-> " + target));
                continue;
            }

            if (provider is null || !providers.Contains(provider) || !CatalogParser.IsValidModelId(id))
            {
                var why = provider is null || !providers.Contains(provider)
                    ? $"provider '{litellmProvider ?? underlying.Split('/')[0]}' is not in the catalogue; add the provider, then sync again"
                    : $"'{id}' is not a valid model id";
                plan.Rows.Add(new SyncRow(name, underlying, "skipped", why));
                continue;
            }

            var fullName = provider + "/" + id;
            if (!plannedModels.TryGetValue(fullName, out var model))
            {
                model = NewModel(catalogue, provider, id, info, proxyUrl, today, name, underlying, plan.Problems);
                plannedModels[fullName] = model;
                plan.Models.Add(model);
            }

            var action = model.Notes is null ? "add model" : "add model (needs_review)";
            if (name != id && name != fullName)
            {
                plan.Aliases.Add(new NewAlias(name, fullName, $"added by catalog sync litellm: {proxyUrl} serves '{name}' as '{underlying}'"));
                action += " + alias";
            }

            plan.Rows.Add(new SyncRow(name, underlying, action, $"{fullName}: {YamlText.Describe(model.Prices)}"));
        }

        return plan;
    }

    private static string? WhySkip(string name, JsonElement info)
    {
        if (name.Contains('*'))
        {
            return "wildcard route; add the names it serves by hand";
        }

        var mode = Text(info, "mode");
        if (mode is not null && !LiteLlmEntry.IsTokenPriced(mode))
        {
            return LiteLlmEntry.NotTokenPriced(mode);
        }

        return CatalogParser.IsValidModelId(name) ? null : "not a valid alias name (letters, digits and / : @ ~ . - _ only)";
    }

    /// <summary>The catalogue model the underlying name resolves to by its own rules (no guess), if any.</summary>
    private static string? Priced(PricingEngine engine, string underlying, string id, string? provider)
    {
        var resolution = engine.Resolve(underlying);
        if (resolution.Source.IsGuess() && provider is not null)
        {
            resolution = engine.Resolve(id, provider);
        }

        return resolution.Source.IsGuess() ? null : resolution.ResolvedModel;
    }

    private static NewModel NewModel(CatalogDoc catalogue, string provider, string id, JsonElement info, string proxyUrl, DateOnly today, string name, string underlying, List<string> problems)
    {
        PriceBlock? prices = null;
        string? missing = "the proxy reports no model_info";
        if (info.ValueKind == JsonValueKind.Object)
        {
            try
            {
                prices = LiteLlmPrices.Read(info, out missing);
            }
            catch (MalformedEntryException ex)
            {
                problems.Add($"model_info of '{name}': {ex.Message}; using the fallback prices");
                missing = ex.Message;
            }
        }

        var comment = $"added by catalog sync litellm: {proxyUrl} serves '{name}' as '{underlying}'";
        var source = proxyUrl.TrimEnd('/') + "/model/info";
        return prices is not null
            ? new NewModel(provider, id, prices, source, today, comment)
            : new NewModel(provider, id, catalogue.Fallback, source, today, $"{NeedsReview}: {comment}", $"{NeedsReview}: {missing}; priced at the catalogue fallback until someone checks the real price");
    }
}
