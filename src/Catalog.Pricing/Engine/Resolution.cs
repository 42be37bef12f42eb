namespace Catalog.Pricing;

/// <summary>
/// How a model name was priced: the step that found it, the model (if any), and the prices in force
/// now. Resolutions of exact names and aliases are built once at start-up and shared.
/// </summary>
public sealed class Resolution
{
    private readonly string[] _warnings;

    internal Resolution(
        string requestedName,
        PricingSource source,
        ModelInfo? model,
        ProviderInfo? provider,
        AliasInfo? alias,
        PriceSet prices,
        bool pricesFixed,
        string[] warnings)
    {
        RequestedName = requestedName;
        Source = source;
        Model = model;
        Provider = provider;
        Alias = alias;
        Prices = prices;
        PricesFixed = pricesFixed;
        _warnings = warnings;
    }

    /// <summary>The name as it was looked up.</summary>
    public string RequestedName { get; }

    public PricingSource Source { get; }

    /// <summary>The catalogue model, or null when a provider default or the fallback priced the name.</summary>
    public ModelInfo? Model { get; }

    public ProviderInfo? Provider { get; }

    public AliasInfo? Alias { get; }

    /// <summary>The prices in force now (environment overrides and alias overrides applied).</summary>
    public PriceSet Prices { get; }

    /// <summary>True when the prices do not follow the model's history (alias overrides, defaults).</summary>
    internal bool PricesFixed { get; }

    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>`provider/id` of the priced model, or null.</summary>
    public string? ResolvedModel => Model?.FullName;

    /// <summary>The prices in force at <paramref name="timestamp"/> (history entries are exclusive of `until`).</summary>
    public PriceSet PricesAt(DateTimeOffset timestamp)
    {
        if (PricesFixed || Model is null || Model.History.Length == 0)
        {
            return Prices;
        }

        // The UTC day is before `until` exactly when the instant is before `until`'s midnight (day numbers and ticks share 0001-01-01).
        var ticks = timestamp.UtcTicks;
        foreach (var entry in Model.History)
        {
            if (ticks < entry.Until.DayNumber * TimeSpan.TicksPerDay)
            {
                return entry.Prices;
            }
        }

        return Prices;
    }

    internal Resolution With(string requestedName, PricingSource source, string warning) =>
        new(requestedName, source, Model, Provider, Alias, Prices, PricesFixed, [.. _warnings, warning]);
}
