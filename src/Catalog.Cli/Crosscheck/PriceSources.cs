using System.Text.Json;
using Catalog.Cli.GenAiPrices;
using Catalog.Cli.LiteLlm;
using Catalog.Catalogue.Model;
using Catalog.Pricing;

namespace Catalog.Cli.Crosscheck;

/// <summary>A source's price for one model, under the source's own name for it.</summary>
internal sealed record SourcePrice(string Key, PriceBlock Prices, decimal PerRequestUsd);

/// <summary>A catalogue of prices to compare with: LiteLLM's model map or genai-prices' data.</summary>
internal abstract class PriceSource(string name)
{
    public string Name { get; } = name;

    /// <summary>The source's price of a catalogue model, or null when the source does not know it.</summary>
    public abstract SourcePrice? Find(ModelInfo model);

    /// <summary>Every model the source prices, as (catalogue provider, name to resolve); providers without a counterpart are left out.</summary>
    public abstract IEnumerable<(string Provider, string Name)> Models();

    public static PriceSource Read(string kind, JsonElement root) => kind switch
    {
        "litellm" => new LiteLlmSource(root),
        GenAiPricesImport.Label => new GenAiPricesSource(root),
        _ => throw new UsageException($"--against takes litellm=<file> or genai-prices=<file>, not '{kind}'"),
    };
}

/// <summary>LiteLLM's model_prices_and_context_window.json: token-priced entries by catalogue provider and id.</summary>
internal sealed class LiteLlmSource : PriceSource
{
    private readonly Dictionary<(string Provider, string Id), SourcePrice> _byModel = [];

    public LiteLlmSource(JsonElement map)
        : base("litellm")
    {
        if (map.ValueKind != JsonValueKind.Object)
        {
            throw new CliException("the LiteLLM model map must be a JSON object of model names to entries");
        }

        foreach (var property in map.EnumerateObject())
        {
            var entry = property.Value;
            if (entry.ValueKind != JsonValueKind.Object || !LiteLlmEntry.IsTokenPriced(LiteLlmEntry.Text(entry, "mode") ?? "chat"))
            {
                continue;
            }

            var provider = LiteLlmProviders.Map(LiteLlmEntry.Text(entry, "litellm_provider"));
            PriceBlock? prices;
            try
            {
                prices = LiteLlmPrices.Read(entry, out _);
            }
            catch (MalformedEntryException)
            {
                continue;
            }

            if (provider is not null && prices is not null)
            {
                _byModel.TryAdd((provider, LiteLlmProviders.Split(property.Name).Id), new SourcePrice(property.Name, prices, 0m));
            }
        }
    }

    public override SourcePrice? Find(ModelInfo model) => _byModel.GetValueOrDefault((model.Provider, model.Id));

    public override IEnumerable<(string Provider, string Name)> Models() => _byModel.Keys;
}

/// <summary>genai-prices' data.json: a catalogue model is found the way genai-prices finds a name, by its match rules.</summary>
internal sealed class GenAiPricesSource : PriceSource
{
    private readonly Dictionary<string, List<GenAiPricesModel>> _byProvider = new(StringComparer.Ordinal);

    public GenAiPricesSource(JsonElement data)
        : base(GenAiPricesImport.Label)
    {
        if (data.ValueKind != JsonValueKind.Array)
        {
            throw new CliException("genai-prices' data.json must be a JSON array of providers");
        }

        foreach (var provider in data.EnumerateArray())
        {
            var providerId = LiteLlmEntry.Text(provider, "id") ?? string.Empty;
            foreach (var model in provider.TryGetProperty("models", out var models) ? models.EnumerateArray() : default)
            {
                GenAiPricesModel read;
                try
                {
                    read = GenAiPricesModel.Read(model);
                }
                catch (Exception ex) when (ex is MalformedEntryException or KeyNotFoundException or InvalidOperationException or FormatException)
                {
                    continue;
                }

                if (GenAiPricesProviders.Map(providerId, read.Id) is { } ours)
                {
                    if (!_byProvider.TryGetValue(ours.Id, out var list))
                    {
                        _byProvider[ours.Id] = list = [];
                    }

                    list.Add(read);
                }
            }
        }
    }

    public override SourcePrice? Find(ModelInfo model)
    {
        if (!_byProvider.TryGetValue(model.Provider, out var models))
        {
            return null;
        }

        var found = models.FirstOrDefault(m => m.Id == model.Id) ?? models.FirstOrDefault(m => m.IsMatch(model.Id));
        return found is null ? null : new SourcePrice(found.Id, found.Prices, found.PerRequestUsd);
    }

    public override IEnumerable<(string Provider, string Name)> Models() =>
        _byProvider.SelectMany(p => p.Value.Select(m => (p.Key, m.Id)));
}
