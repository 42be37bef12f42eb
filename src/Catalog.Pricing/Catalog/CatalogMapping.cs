using System.Buffers.Text;
using System.Collections.Frozen;
using System.Globalization;
using Catalog.Catalogue;
using Catalog.Catalogue.Model;

namespace Catalog.Pricing;

/// <summary>
/// The one mapping from the catalogue model (Catalog.Catalogue) to the engine's frozen table: the table compiled
/// into this assembly is the generator's encoded catalogue decoded through it at start-up, and the tools price a
/// catalogue file on disk through it too, so both can only agree.
/// </summary>
public static class CatalogMapping
{
    /// <summary>The engine's table of a parsed, validated catalogue.</summary>
    public static CatalogData FromDoc(CatalogDoc doc)
    {
        var providers = doc.Providers
            .Select(p => new ProviderInfo(p.Id, p.Name, p.CacheTokensSeparate ? CacheTokens.Separate : CacheTokens.Included, p.InputPerTokenEnv, p.OutputPerTokenEnv, Prices(p.DefaultPrices), p.Source, Date(p.Checked))
            {
                ReasoningTokens = p.ReasoningTokensSeparate ? ReasoningTokens.Separate : ReasoningTokens.Included,
                ServiceTiers = Modifiers(p.ServiceTiers),
                Regions = Modifiers(p.Regions),
            })
            .ToArray();
        var modelDocs = doc.Providers.SelectMany(p => p.Models).ToList();
        var models = modelDocs
            .Select(m => new ModelInfo(
                m.Provider,
                m.Id,
                m.Name,
                m.Active,
                Prices(m.Prices),
                m.History.Select(h => new DatedPrices(Date(h.Until)!.Value, Prices(h.Prices)!)).ToArray(),
                m.PerRequestUsd,
                m.EstimateRequestUsd,
                m.MatchPrefixes.ToArray(),
                m.MatchNames.ToArray(),
                m.Source,
                Date(m.Checked),
                m.Notes)
            {
                MatchSuffixes = m.MatchSuffixes.ToArray(),
                MatchContains = m.MatchContains.ToArray(),
                MatchRegexes = m.MatchRegexes.ToArray(),
                ServiceTiers = Modifiers(m.ServiceTiers),
                Regions = Modifiers(m.Regions),
                TimeWindows = m.TimeWindows.Select(t => new TimeWindow(Time(t.From), Time(t.To), t.Multiplier, Prices(t.Prices))).ToArray(),
            })
            .ToArray();
        var aliases = doc.Aliases
            .Select(a => new AliasInfo(a.Alias.Name, a.Alias.Target, a.ResolvedModel, a.Chain.ToArray(), Prices(a.EffectivePrices), a.Alias.Notes))
            .ToArray();
        var instances = doc.Instances
            .Select(i => new InstanceInfo(i.Vendor, i.Region, i.Type, i.Size, i.Accelerator, i.HourlyUsd))
            .ToArray();
        var endpoints = doc.Endpoints
            .Select(e => new EndpointInfo(e.Id, e.Model, e.Vendor, e.Region, e.InstanceType, e.InstanceSize, e.HourlyUsd, e.MinReplicas, e.MaxReplicas, e.ScaleToZeroAfterMinutes, e.Notes))
            .ToArray();
        var alerts = doc.Alerts
            .Select(a => new AlertRule(a.Id, a.Kind, a.ThresholdUsd, a.Team, a.Multiplier, a.MinUsd, a.AboveMtok, a.Notes))
            .ToArray();
        var modelsByName = ModelNames.Of(modelDocs).ToDictionary(n => n.Name, n => models[n.Index], StringComparer.Ordinal);

        return new CatalogData(
            doc.Version,
            doc.SourceFile,
            doc.Schema,
            doc.TypicalInputTokens,
            doc.TypicalOutputTokens,
            Prices(doc.Fallback)!,
            providers,
            models,
            aliases,
            instances,
            endpoints,
            alerts,
            providers.ToFrozenDictionary(p => p.Id, StringComparer.Ordinal),
            modelsByName.ToFrozenDictionary(StringComparer.Ordinal),
            aliases.ToFrozenDictionary(a => a.Name, StringComparer.Ordinal))
        {
            Budgets = [.. doc.Budgets.Select(b => new BudgetRule(b.Id, b.Name, b.Period, b.AmountUsd, b.ScopeDimension, b.ScopeValue, b.WarningShare, b.Notes))],
        };
    }

    /// <summary>The table from the generator's literal: <see cref="CatalogCodec"/> bytes in Base64 (UTF-8).</summary>
    public static CatalogData FromCompiled(ReadOnlySpan<byte> base64Utf8)
    {
        var bytes = new byte[Base64.GetMaxDecodedFromUtf8Length(base64Utf8.Length)];
        if (Base64.DecodeFromUtf8(base64Utf8, bytes, out _, out var written) != System.Buffers.OperationStatus.Done)
        {
            throw new InvalidDataException("the compiled pricing catalogue is not Base64");
        }

        return FromDoc(CatalogCodec.Decode(bytes, written));
    }

    private static PriceSet? Prices(PriceBlock? block) => block is null
        ? null
        : new PriceSet(
            block.InputMtok ?? 0m,
            block.OutputMtok ?? 0m,
            block.CacheReadMtok,
            block.CacheWriteMtok,
            block.CacheWrite1hMtok,
            block.Tiers.Select(t => new PriceTier(t.AboveInputTokens, t.Prices.InputMtok, t.Prices.OutputMtok, t.Prices.CacheReadMtok, t.Prices.CacheWriteMtok, t.Prices.CacheWrite1hMtok)
            {
                InputAudioMtok = t.Prices["input_audio_mtok"],
                CacheAudioReadMtok = t.Prices["cache_audio_read_mtok"],
                OutputAudioMtok = t.Prices["output_audio_mtok"],
                InputImageMtok = t.Prices["input_image_mtok"],
                CacheImageReadMtok = t.Prices["cache_image_read_mtok"],
                OutputImageMtok = t.Prices["output_image_mtok"],
                InputVideoMtok = t.Prices["input_video_mtok"],
                OutputVideoMtok = t.Prices["output_video_mtok"],
                OutputReasoningMtok = t.Prices["output_reasoning_mtok"],
                WebSearchesKcount = t.Prices["web_searches_kcount"],
            }).ToArray())
        {
            InputAudioMtok = block["input_audio_mtok"],
            CacheAudioReadMtok = block["cache_audio_read_mtok"],
            OutputAudioMtok = block["output_audio_mtok"],
            InputImageMtok = block["input_image_mtok"],
            CacheImageReadMtok = block["cache_image_read_mtok"],
            OutputImageMtok = block["output_image_mtok"],
            InputVideoMtok = block["input_video_mtok"],
            OutputVideoMtok = block["output_video_mtok"],
            OutputReasoningMtok = block["output_reasoning_mtok"],
            WebSearchesKcount = block["web_searches_kcount"],
        };

    private static PriceModifier[] Modifiers(EquatableArray<ModifierDoc> modifiers) =>
        modifiers.Select(m => new PriceModifier(m.Name, m.Multiplier, Prices(m.Prices))).ToArray();

    private static TimeOnly Time(string hhmm) => TimeOnly.ParseExact(hhmm, "HH:mm", CultureInfo.InvariantCulture);

    private static DateOnly? Date(string? isoDate) =>
        isoDate is null ? null : DateOnly.ParseExact(isoDate, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
