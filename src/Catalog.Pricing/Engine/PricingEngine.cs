using System.Collections.Frozen;
using System.Globalization;

namespace Catalog.Pricing;

/// <summary>One step tried while resolving a name, for explanations.</summary>
public sealed record ResolutionStep(string Step, string Tried, bool Matched, string? Detail = null);

/// <summary>
/// Resolves any model name a user sends to prices, most specific step first, and prices usage.
/// Exact names and aliases are one frozen-dictionary lookup with no allocation.
/// </summary>
public sealed class PricingEngine
{
    private const int MaxStackName = 256;

    /// <summary>An override above this is a price per million (or per thousand) put in a per-token variable.</summary>
    private const decimal MaxPerTokenUsd = 1m;

    private readonly FrozenDictionary<string, Resolution> _direct;
    private readonly FrozenDictionary<string, Resolution>.AlternateLookup<ReadOnlySpan<char>> _directSpan;
    private readonly FrozenDictionary<string, Resolution> _prefixes;
    private readonly FrozenDictionary<string, Resolution>.AlternateLookup<ReadOnlySpan<char>> _prefixSpan;
    private readonly FrozenDictionary<string, Resolution>.AlternateLookup<ReadOnlySpan<char>> _prefixIgnoreCaseSpan;
    private readonly int[] _prefixLengths;
    private readonly FrozenDictionary<string, Resolution>.AlternateLookup<ReadOnlySpan<char>> _suffixSpan;
    private readonly int[] _suffixLengths;
    private readonly (string Text, Resolution Resolution)[] _contains;
    private readonly (System.Text.RegularExpressions.Regex Regex, Resolution Resolution)[] _regexes;
    private readonly FrozenDictionary<string, Resolution> _caseInsensitive;
    private readonly FrozenDictionary<string, Resolution>.AlternateLookup<ReadOnlySpan<char>> _caseInsensitiveSpan;
    private readonly FrozenDictionary<string, Resolution> _providerDefaults;
    private readonly FrozenDictionary<string, Resolution>.AlternateLookup<ReadOnlySpan<char>> _providerDefaultSpan;
    private readonly FrozenDictionary<string, ProviderInfo>.AlternateLookup<ReadOnlySpan<char>> _providerSpan;
    private readonly Resolution? _defaultModel;
    private readonly Resolution _fallback;

    // The fallback warning after the name, formatted once: decimal formatting is slow.
    private readonly string _fallbackWarningEnd;

    public PricingEngine(CatalogData data, Func<string, string?>? environment = null)
    {
        Data = data;
        environment ??= Environment.GetEnvironmentVariable;
        EffectiveProviderDefaults = data.Providers
            .Select(p => (p.Id, Prices: EffectiveDefaults(p, data.Fallback, environment)))
            .Where(p => p.Prices is not null)
            .ToFrozenDictionary(p => p.Id, p => p.Prices!, StringComparer.Ordinal);

        var direct = new Dictionary<string, Resolution>(StringComparer.Ordinal);
        foreach (var (name, model) in data.ModelsByName)
        {
            direct[name] = ForModel(name, model, PricingSource.Exact);
        }

        foreach (var alias in data.Aliases)
        {
            var model = data.ModelsByName[alias.ResolvedModel];
            var target = PricesOf(model);
            var prices = alias.Prices is null ? target : Merge(alias.Prices, target);
            direct[alias.Name] = new Resolution(alias.Name, PricingSource.Alias, model, ProviderOf(model), alias, prices, alias.Prices is not null, InactiveWarning(model));
        }

        var prefixes = new Dictionary<string, Resolution>(StringComparer.Ordinal);
        var suffixes = new Dictionary<string, Resolution>(StringComparer.Ordinal);
        var contains = new Dictionary<string, Resolution>(StringComparer.Ordinal);
        var regexes = new List<(System.Text.RegularExpressions.Regex, Resolution)>();
        foreach (var model in data.Models)
        {
            foreach (var name in model.MatchNames)
            {
                direct.TryAdd(name, ForModel(name, model, PricingSource.Match));
            }

            foreach (var prefix in model.MatchPrefixes)
            {
                prefixes.TryAdd(prefix, ForModel(prefix, model, PricingSource.Match));
            }

            foreach (var suffix in model.MatchSuffixes)
            {
                suffixes.TryAdd(suffix, ForModel(suffix, model, PricingSource.Match));
            }

            foreach (var text in model.MatchContains)
            {
                contains.TryAdd(text, ForModel(text, model, PricingSource.Match));
            }

            foreach (var pattern in model.MatchRegexes)
            {
                regexes.Add((Catalog.Catalogue.Parsing.MatchRegex.Create(pattern), ForModel(pattern, model, PricingSource.Match)));
            }
        }

        _suffixSpan = suffixes.ToFrozenDictionary(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        _suffixLengths = LongestFirst(suffixes.Keys);
        _contains = [.. contains.OrderByDescending(c => c.Key.Length).ThenBy(c => c.Key, StringComparer.Ordinal).Select(c => (c.Key, c.Value))];
        _regexes = [.. regexes];

        _direct = direct.ToFrozenDictionary(StringComparer.Ordinal);
        _directSpan = _direct.GetAlternateLookup<ReadOnlySpan<char>>();
        _prefixes = prefixes.ToFrozenDictionary(StringComparer.Ordinal);
        _prefixSpan = _prefixes.GetAlternateLookup<ReadOnlySpan<char>>();
        _prefixLengths = LongestFirst(prefixes.Keys);

        _caseInsensitive = IgnoringCase(_direct);
        _caseInsensitiveSpan = _caseInsensitive.GetAlternateLookup<ReadOnlySpan<char>>();
        _prefixIgnoreCaseSpan = IgnoringCase(_prefixes).GetAlternateLookup<ReadOnlySpan<char>>();

        _providerDefaults = EffectiveProviderDefaults
            .ToFrozenDictionary(
                p => p.Key,
                p => new Resolution(p.Key, PricingSource.ProviderDefault, null, data.ProvidersById[p.Key], null, p.Value, true, []),
                StringComparer.Ordinal);
        _providerDefaultSpan = _providerDefaults.GetAlternateLookup<ReadOnlySpan<char>>();
        _providerSpan = data.ProvidersById.GetAlternateLookup<ReadOnlySpan<char>>();

        if (data.ModelsByName.TryGetValue("default", out var defaultModel))
        {
            _defaultModel = ForModel("default", defaultModel, PricingSource.DefaultModel);
        }

        _fallback = new Resolution("fallback", PricingSource.Fallback, null, null, null, data.Fallback, true, []);
        _fallbackWarningEnd = $"' is not in the catalogue; priced at the catalogue fallback ({Mtok(data.Fallback.InputMtok)} in / {Mtok(data.Fallback.OutputMtok)} out per million tokens). Add it to pricing.yaml";
    }

    public CatalogData Data { get; }

    public string Version => Data.Version;

    /// <summary>Provider default prices after environment overrides, by provider id.</summary>
    public FrozenDictionary<string, PriceSet> EffectiveProviderDefaults { get; }

    /// <summary>Every name that resolves without a rule: model names, aliases and match names.</summary>
    public IEnumerable<KeyValuePair<string, Resolution>> DirectNames => _direct;

    /// <summary>The prices a model is charged now (its own, or its provider's defaults with overrides).</summary>
    public PriceSet PricesOf(ModelInfo model) =>
        model.Prices ?? EffectiveProviderDefaults.GetValueOrDefault(model.Provider) ?? Data.Fallback;

    /// <summary>Prices one request. <paramref name="usage"/> empty = estimate from the catalogue's assumptions.</summary>
    public CostBreakdown Price(string model, string? provider, in TokenUsage usage, DateTimeOffset timestamp)
    {
        var resolution = Resolve(model, provider);
        return usage.DetailReasoningTokens == 0 && (resolution.Model is null || resolution.Model.TimeWindows.Length == 0)
            ? CostCalculator.Price(resolution, usage, timestamp, Data.TypicalInputTokens, Data.TypicalOutputTokens)
            : PriceCall(resolution, usage, timestamp, null, null);
    }

    /// <summary>
    /// Prices one request made in <paramref name="serviceTier"/> (batch, flex, priority ...; null, default and auto are standard)
    /// and <paramref name="region"/>: history picks the price set by the timestamp, then the model's time window, the region
    /// and the service tier each replace it (prices) or multiply every token and count price in it (multiplier).
    /// Without a tier or a region this is <see cref="Price(string, string?, in TokenUsage, DateTimeOffset)"/>.
    /// </summary>
    public CostBreakdown Price(string model, string? provider, in TokenUsage usage, DateTimeOffset timestamp, string? serviceTier, string? region) =>
        serviceTier is null && region is null ? Price(model, provider, usage, timestamp) : PriceCall(Resolve(model, provider), usage, timestamp, serviceTier, region);

    private CostBreakdown PriceCall(Resolution resolution, in TokenUsage usage, DateTimeOffset timestamp, string? serviceTier, string? region)
    {
        if (usage.DetailReasoningTokens != 0)
        {
            var (placed, placedUsage) = PlaceDetailReasoning(resolution, usage);
            return PriceModified(placed, placedUsage, timestamp, serviceTier, region);
        }

        return PriceModified(resolution, usage, timestamp, serviceTier, region);
    }

    /// <summary>History, then the time window, the region and the service tier, then the charging rule.</summary>
    private CostBreakdown PriceModified(Resolution resolution, in TokenUsage usage, DateTimeOffset timestamp, string? serviceTier, string? region)
    {
        var prices = resolution.PricesAt(timestamp);
        decimal? multiplier = null;
        if (resolution.Model is { TimeWindows.Length: > 0 } model)
        {
            var window = WindowAt(model.TimeWindows, TimeOnly.FromDateTime(timestamp.UtcDateTime));
            if (window is not null)
            {
                Apply(window.Multiplier, window.Prices, ref prices, ref multiplier);
            }
        }

        var regional = region is null ? null : Modifier(resolution.Model?.Regions, resolution.Provider?.Regions, region);
        if (regional is not null)
        {
            Apply(regional.Multiplier, regional.Prices, ref prices, ref multiplier);
        }

        var standard = serviceTier is null or "default" or "auto" or "standard";
        var tier = standard ? null : Modifier(resolution.Model?.ServiceTiers, resolution.Provider?.ServiceTiers, serviceTier!);
        if (tier is not null)
        {
            Apply(tier.Multiplier, tier.Prices, ref prices, ref multiplier);
        }
        else if (!standard)
        {
            resolution = resolution.With(resolution.RequestedName, resolution.Source, $"service tier '{serviceTier}' has no entry for '{resolution.ResolvedModel ?? resolution.RequestedName}' in the catalogue; priced at the standard prices. Add it to the model's or provider's service_tiers in pricing.yaml");
        }

        if (multiplier is { } factor)
        {
            // Built once per price set and multiplier (as written: 0.5 and 0.50 are two) and kept by the set's plan.
            prices = prices.Plan.MultipliedBy(factor);
        }

        return CostCalculator.Price(resolution, prices, usage, Data.TypicalInputTokens, Data.TypicalOutputTokens, tier?.Name, region);
    }

    /// <summary>The window <paramref name="time"/> falls in, or null.</summary>
    private static TimeWindow? WindowAt(TimeWindow[] windows, TimeOnly time)
    {
        foreach (var window in windows)
        {
            if (window.Contains(time))
            {
                return window;
            }
        }

        return null;
    }

    /// <summary>The model's entry of that name, else its provider's.</summary>
    private static PriceModifier? Modifier(PriceModifier[]? ofModel, PriceModifier[]? ofProvider, string name) =>
        Named(ofModel, name) ?? Named(ofProvider, name);

    private static PriceModifier? Named(PriceModifier[]? modifiers, string name)
    {
        foreach (var modifier in modifiers ?? [])
        {
            if (modifier.Name == name)
            {
                return modifier;
            }
        }

        return null;
    }

    private static void Apply(decimal? factor, PriceSet? replacement, ref PriceSet prices, ref decimal? multiplier)
    {
        if (replacement is not null)
        {
            prices = replacement;
            multiplier = null;
        }
        else if (factor is { } f)
        {
            // 1m * f is f bit for bit (the product of a scale-0 one keeps f's mantissa and scale).
            multiplier = multiplier is { } m ? m * f : f;
        }
    }

    /// <summary>Reasoning reported in completion_tokens_details lies inside the output, unless the provider reports it beside (reasoning_tokens: separate).</summary>
    private static (Resolution, TokenUsage) PlaceDetailReasoning(Resolution resolution, TokenUsage usage)
    {
        var separate = resolution.Provider?.ReasoningTokens == ReasoningTokens.Separate;
        if (!separate && usage.OutputReasoningTokens > usage.OutputTokens)
        {
            separate = true;
            resolution = resolution.With(resolution.RequestedName, resolution.Source, $"completion_tokens_details.reasoning_tokens ({usage.DetailReasoningTokens}) are more than the output tokens ({usage.OutputTokens}); counted beside them. If provider '{resolution.Provider?.Id ?? "(none)"}' reports reasoning beside its completion tokens, set reasoning_tokens: separate on it in pricing.yaml");
        }

        return (resolution, usage with { OutputTokens = usage.OutputTokens + (separate ? usage.DetailReasoningTokens : 0), DetailReasoningTokens = 0 });
    }

    public Resolution Resolve(string name, string? provider = null) => ResolveCore(name, provider, null);

    /// <summary>Resolves <paramref name="name"/> and records every step tried.</summary>
    public (Resolution Resolution, IReadOnlyList<ResolutionStep> Steps) Explain(string name, string? provider = null)
    {
        var steps = new List<ResolutionStep>();
        var resolution = ResolveCore(name, provider, steps);
        return (resolution, steps);
    }

    private Resolution ResolveCore(string name, string? provider, List<ResolutionStep>? trace)
    {
        // 1-3 with the provider from the request: 'provider/name'.
        if (provider is not null && TryQualified(provider, name, out var hinted))
        {
            trace?.Add(new(hinted.Source.ToWire(), provider + "/" + name, true));
            return hinted;
        }

        // 1-3: exact name, alias, match name.
        if (_direct.TryGetValue(name, out var direct))
        {
            trace?.Add(new(direct.Source.ToWire(), name, true));
            return direct;
        }

        trace?.Add(new("exact", name, false, "no model, alias or match name"));
        if (TryPrefix(_prefixSpan, name, out var byPrefix))
        {
            trace?.Add(new("match", name, true, $"prefix '{byPrefix.RequestedName}'"));
            return byPrefix;
        }

        trace?.Add(new("match", name, false, "no match prefix"));
        if ((_suffixLengths.Length | _contains.Length | _regexes.Length) != 0 && TryMatchRule(name, trace, out var byRule))
        {
            return byRule;
        }

        return ResolveGuess(name, provider, trace);
    }

    /// <summary>The match rules after prefixes: the longest suffix, then the longest contains string, then the regexes in file order.</summary>
    private bool TryMatchRule(string name, List<ResolutionStep>? trace, out Resolution resolution)
    {
        foreach (var length in _suffixLengths)
        {
            if (length <= name.Length && _suffixSpan.TryGetValue(name.AsSpan(name.Length - length), out resolution!))
            {
                trace?.Add(new("match", name, true, $"suffix '{resolution.RequestedName}'"));
                return true;
            }
        }

        foreach (var (text, byContains) in _contains)
        {
            if (name.Contains(text, StringComparison.Ordinal))
            {
                trace?.Add(new("match", name, true, $"contains '{text}'"));
                resolution = byContains;
                return true;
            }
        }

        foreach (var (regex, byRegex) in _regexes)
        {
            if (regex.IsMatch(name))
            {
                trace?.Add(new("match", name, true, $"regex '{byRegex.RequestedName}'"));
                resolution = byRegex;
                return true;
            }
        }

        trace?.Add(new("match", name, false, "no match suffix, contains string or regex"));
        resolution = null!;
        return false;
    }

    private static int[] LongestFirst(IEnumerable<string> keys) => keys.Select(k => k.Length).Distinct().OrderByDescending(l => l).ToArray();

    private Resolution ResolveGuess(string name, string? provider, List<ResolutionStep>? trace)
    {
        var span = name.AsSpan();
        var suffixProvider = ReadOnlySpan<char>.Empty;
        var withoutSuffix = span;
        var colon = span.LastIndexOf(':');
        if (colon > 0 && colon > span.LastIndexOf('/') && colon < span.Length - 1)
        {
            suffixProvider = span[(colon + 1)..];
            withoutSuffix = span[..colon];
        }

        var slash = withoutSuffix.IndexOf('/');
        var vendor = slash > 0 ? withoutSuffix[..slash] : ReadOnlySpan<char>.Empty;
        var shortName = slash > 0 ? withoutSuffix[(slash + 1)..] : withoutSuffix;

        // 4. short name: without ':provider', without 'vendor/', without both; the suffix names the provider, else the request does.
        if (withoutSuffix.Length == span.Length && shortName.Length == span.Length)
        {
            trace?.Add(new("short_name", name, false, "no 'vendor/' prefix or ':provider' suffix to drop"));
        }
        else
        {
            var hint = !suffixProvider.IsEmpty && _providerSpan.TryGetValue(suffixProvider, out var named) ? named.Id : provider;
            if (TryShort(name, withoutSuffix, hint, trace, out var resolved)
                || TryShort(name, shortName, hint, trace, out resolved))
            {
                return resolved;
            }
        }

        // 5. case-insensitive: names, then match prefixes.
        if (TryIgnoringCase(span, out var ci) || TryIgnoringCase(withoutSuffix, out ci) || TryIgnoringCase(shortName, out ci))
        {
            trace?.Add(new("case_insensitive", name, true, ci.RequestedName));
            return ci.With(name, PricingSource.CaseInsensitive, $"'{name}' matched '{ci.RequestedName}' only when case is ignored; add the exact name to pricing.yaml");
        }

        trace?.Add(new("case_insensitive", name, false));

        // 6. the provider's default prices, from the request or the name.
        if ((provider is not null && _providerDefaultSpan.TryGetValue(provider, out var defaults))
            || (!suffixProvider.IsEmpty && _providerDefaultSpan.TryGetValue(suffixProvider, out defaults))
            || (!vendor.IsEmpty && _providerDefaultSpan.TryGetValue(vendor, out defaults)))
        {
            trace?.Add(new("provider_default", defaults.RequestedName, true));
            return defaults.With(name, PricingSource.ProviderDefault, $"'{name}' is not in the catalogue; priced at provider '{defaults.RequestedName}' default prices");
        }

        trace?.Add(new("provider_default", provider ?? (suffixProvider.IsEmpty ? vendor.ToString() : suffixProvider.ToString()), false, "no provider with default prices"));

        // 7. a catalogue model with id 'default'.
        if (_defaultModel is not null)
        {
            trace?.Add(new("default_model", "default", true));
            return _defaultModel.With(name, PricingSource.DefaultModel, $"'{name}' is not in the catalogue; priced as model 'default'");
        }

        trace?.Add(new("default_model", "default", false, "no model with id 'default'"));
        trace?.Add(new("fallback", name, true));
        return _fallback.With(name, PricingSource.Fallback, "'" + name + _fallbackWarningEnd);
    }

    private bool TryShort(string name, ReadOnlySpan<char> candidate, string? provider, List<ResolutionStep>? trace, out Resolution resolution)
    {
        if (candidate.Length == name.Length || candidate.IsEmpty)
        {
            resolution = null!;
            return false;
        }

        if ((provider is not null && TryQualified(provider, candidate, out var found))
            || _directSpan.TryGetValue(candidate, out found)
            || TryPrefix(_prefixSpan, candidate, out found))
        {
            trace?.Add(new("short_name", candidate.ToString(), true, found.ResolvedModel));
            resolution = found.With(name, PricingSource.ShortName, $"'{name}' resolved by its short name '{candidate}' to '{found.ResolvedModel}'; add '{name}' to the model's match.names to make this exact");
            return true;
        }

        trace?.Add(new("short_name", candidate.ToString(), false));
        resolution = null!;
        return false;
    }

    private bool TryQualified(string provider, ReadOnlySpan<char> name, out Resolution resolution)
    {
        var length = provider.Length + 1 + name.Length;
        if (length > MaxStackName)
        {
            resolution = null!;
            return false;
        }

        Span<char> buffer = stackalloc char[length];
        provider.AsSpan().CopyTo(buffer);
        buffer[provider.Length] = '/';
        name.CopyTo(buffer[(provider.Length + 1)..]);
        return _directSpan.TryGetValue(buffer, out resolution!);
    }

    private bool TryIgnoringCase(ReadOnlySpan<char> name, out Resolution resolution) =>
        _caseInsensitiveSpan.TryGetValue(name, out resolution!) || TryPrefix(_prefixIgnoreCaseSpan, name, out resolution);

    /// <summary>The longest match prefix that starts <paramref name="name"/>.</summary>
    private bool TryPrefix(FrozenDictionary<string, Resolution>.AlternateLookup<ReadOnlySpan<char>> prefixes, ReadOnlySpan<char> name, out Resolution resolution)
    {
        foreach (var length in _prefixLengths)
        {
            if (length <= name.Length && prefixes.TryGetValue(name[..length], out resolution!))
            {
                return true;
            }
        }

        resolution = null!;
        return false;
    }

    /// <summary>The same names with case ignored (of names that differ only in case, one is kept).</summary>
    private static FrozenDictionary<string, Resolution> IgnoringCase(FrozenDictionary<string, Resolution> names)
    {
        var ignoringCase = new Dictionary<string, Resolution>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, resolution) in names)
        {
            ignoringCase.TryAdd(name, resolution);
        }

        return ignoringCase.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    private Resolution ForModel(string name, ModelInfo model, PricingSource source) =>
        new(name, source, model, ProviderOf(model), null, PricesOf(model), model.Prices is null, InactiveWarning(model));

    private ProviderInfo? ProviderOf(ModelInfo model) => Data.ProvidersById.GetValueOrDefault(model.Provider);

    private static string[] InactiveWarning(ModelInfo model) =>
        model.Active ? [] : [$"'{model.FullName}' is marked inactive (retired) in the catalogue"];

    private static PriceSet Merge(PriceSet overrides, PriceSet target) => overrides with
    {
        CacheReadMtok = overrides.CacheReadMtok ?? target.CacheReadMtok,
        CacheWriteMtok = overrides.CacheWriteMtok ?? target.CacheWriteMtok,
        CacheWrite1hMtok = overrides.CacheWrite1hMtok ?? target.CacheWrite1hMtok,
        InputAudioMtok = overrides.InputAudioMtok ?? target.InputAudioMtok,
        CacheAudioReadMtok = overrides.CacheAudioReadMtok ?? target.CacheAudioReadMtok,
        OutputAudioMtok = overrides.OutputAudioMtok ?? target.OutputAudioMtok,
        InputImageMtok = overrides.InputImageMtok ?? target.InputImageMtok,
        CacheImageReadMtok = overrides.CacheImageReadMtok ?? target.CacheImageReadMtok,
        OutputImageMtok = overrides.OutputImageMtok ?? target.OutputImageMtok,
        InputVideoMtok = overrides.InputVideoMtok ?? target.InputVideoMtok,
        OutputVideoMtok = overrides.OutputVideoMtok ?? target.OutputVideoMtok,
        OutputReasoningMtok = overrides.OutputReasoningMtok ?? target.OutputReasoningMtok,
        WebSearchesKcount = overrides.WebSearchesKcount ?? target.WebSearchesKcount,
    };

    private static PriceSet? EffectiveDefaults(ProviderInfo provider, PriceSet fallback, Func<string, string?> environment)
    {
        var input = ReadPerToken(provider.InputPerTokenEnv, environment);
        var output = ReadPerToken(provider.OutputPerTokenEnv, environment);
        if (input is null && output is null)
        {
            return provider.DefaultPrices;
        }

        var basis = provider.DefaultPrices ?? fallback;
        return basis with
        {
            InputMtok = input * 1_000_000m ?? basis.InputMtok,
            OutputMtok = output * 1_000_000m ?? basis.OutputMtok,
        };
    }

    private static decimal? ReadPerToken(string? variable, Func<string, string?> environment)
    {
        if (variable is null)
        {
            return null;
        }

        var text = environment(variable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (!decimal.TryParse(text.Trim(), NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw new CatalogConfigurationException($"Environment variable {variable}='{text}' is not a number. Set it to a price in USD per token, such as 0.000001 ($1 per million tokens), or unset it to use pricing.yaml.");
        }

        if (value < 0)
        {
            throw new CatalogConfigurationException($"Environment variable {variable}='{text}' is negative. Set it to a price in USD per token of 0 or more, such as 0.000001, or unset it to use pricing.yaml.");
        }

        if (value > MaxPerTokenUsd)
        {
            throw new CatalogConfigurationException($"Environment variable {variable}='{text}' is more than {MaxPerTokenUsd} USD per token, which looks like a price per million tokens. Set it to a price in USD per token, such as 0.000001 ($1 per million tokens), or unset it to use pricing.yaml.");
        }

        return value;
    }

    private static string Mtok(decimal value) => "$" + value.ToString(CultureInfo.InvariantCulture);
}
