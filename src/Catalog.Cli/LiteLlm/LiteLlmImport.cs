using System.Text.Json;
using Catalog.Cli.Catalogue;
using Catalog.Catalogue.Model;
using Catalog.Catalogue.Parsing;
using Catalog.Pricing;
using static Catalog.Cli.LiteLlm.LiteLlmEntry;

namespace Catalog.Cli.LiteLlm;

/// <summary>A model of LiteLLM's map that the catalogue lacks, as it will be added.</summary>
internal sealed record ImportedModel(string Key, NewModel Model);

/// <summary>What importing LiteLLM's model map would do: the models to add, and every entry left out with the reason.</summary>
internal sealed class ImportPlan
{
    public List<ImportedModel> Imported { get; } = [];

    /// <summary>Entries left out, by reason, in the order the reasons first came up.</summary>
    public Dictionary<string, List<string>> Skipped { get; } = [];

    /// <summary>Entries that could not be read, one message each.</summary>
    public List<string> Problems { get; } = [];

    public void Skip(string key, string reason)
    {
        if (!Skipped.TryGetValue(reason, out var keys))
        {
            Skipped[reason] = keys = [];
        }

        keys.Add(key);
    }
}

/// <summary>
/// Plans the import of LiteLLM's model_prices_and_context_window.json: chat models of providers the
/// catalogue has, with per-token prices, that no catalogue name (model, alias, match name or prefix) prices yet.
/// </summary>
internal static class LiteLlmImport
{
    public const string MapUrl = "https://github.com/BerriAI/litellm/blob/main/model_prices_and_context_window.json";

    public static ImportPlan Plan(JsonElement map, CatalogDoc catalogue, string? provider, DateOnly today)
    {
        if (map.ValueKind != JsonValueKind.Object)
        {
            throw new CliException("the LiteLLM model map must be a JSON object of model names to entries");
        }

        var engine = RuntimeCatalog.Engine(catalogue);
        var providers = catalogue.Providers.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var planned = new HashSet<string>(StringComparer.Ordinal);
        var plan = new ImportPlan();
        foreach (var property in map.EnumerateObject())
        {
            var key = property.Name;
            var entry = property.Value;
            if (key == "sample_spec")
            {
                plan.Skip(key, "LiteLLM's description of the format, not a model");
                continue;
            }

            if (entry.ValueKind != JsonValueKind.Object)
            {
                plan.Problems.Add($"entry '{key}' is {entry.ValueKind.ToString().ToLowerInvariant()}, not an object; skipped");
                plan.Skip(key, "malformed entry");
                continue;
            }

            var mode = Text(entry, "mode") ?? "chat";
            if (!IsTokenPriced(mode))
            {
                plan.Skip(key, NotTokenPriced(mode));
                continue;
            }

            var litellmProvider = Text(entry, "litellm_provider");
            var ours = LiteLlmProviders.Map(litellmProvider);
            if (ours is null || !providers.Contains(ours))
            {
                plan.Skip(key, $"provider '{litellmProvider ?? "(none)"}' has no counterpart in the catalogue");
                continue;
            }

            if (provider is not null && ours != provider)
            {
                plan.Skip(key, $"provider is not '{provider}' (--provider)");
                continue;
            }

            PriceBlock? prices;
            string? missing;
            try
            {
                prices = LiteLlmPrices.Read(entry, out missing);
            }
            catch (MalformedEntryException ex)
            {
                plan.Problems.Add($"entry '{key}': {ex.Message}; skipped");
                plan.Skip(key, "malformed entry");
                continue;
            }

            if (prices is null)
            {
                plan.Skip(key, missing!);
                continue;
            }

            var id = LiteLlmProviders.Split(key).Id;
            if (!CatalogParser.IsValidModelId(id))
            {
                plan.Skip(key, "name is not a valid catalogue model id");
                continue;
            }

            var resolution = engine.Resolve(id, ours);
            if (!resolution.Source.IsGuess())
            {
                plan.Skip(key, "already priced by the catalogue");
                continue;
            }

            if (!planned.Add(ours + "/" + id))
            {
                plan.Skip(key, "same model as an earlier entry");
                continue;
            }

            var model = new NewModel(ours, id, prices, MapUrl, today, $"imported from LiteLLM ({key})");
            plan.Imported.Add(new ImportedModel(key, model));
        }

        return plan;
    }
}
