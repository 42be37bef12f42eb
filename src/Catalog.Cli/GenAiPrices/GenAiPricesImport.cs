using System.Text.Json;
using Catalog.Cli.Catalogue;
using Catalog.Cli.LiteLlm;
using Catalog.Catalogue.Model;
using Catalog.Catalogue.Parsing;
using Catalog.Pricing;

namespace Catalog.Cli.GenAiPrices;

/// <summary>What importing genai-prices would do.</summary>
internal sealed class GenAiPricesPlan
{
    /// <summary>Models added to providers the catalogue has.</summary>
    public List<NewModel> Models { get; } = [];

    /// <summary>Providers the catalogue lacks, with their models.</summary>
    public List<NewProvider> Providers { get; } = [];

    public List<PriceDisagreement> Disagreements { get; } = [];

    /// <summary>Prices the catalogue cannot state, as "model: what".</summary>
    public List<(string Model, string What)> Unexpressible { get; } = [];

    /// <summary>Match rules not carried over or narrowed, as "model: what".</summary>
    public List<(string Model, string What)> MatchRules { get; } = [];

    /// <summary>Models left out, by reason.</summary>
    public Dictionary<string, List<string>> Skipped { get; } = [];

    public List<string> Problems { get; } = [];

    /// <summary>Models already in the catalogue that genai-prices also prices (compared, not changed).</summary>
    public int Compared { get; set; }

    public IEnumerable<NewModel> AllModels => Models.Concat(Providers.SelectMany(p => p.Models));

    public void Skip(string model, string reason)
    {
        if (!Skipped.TryGetValue(reason, out var models))
        {
            Skipped[reason] = models = [];
        }

        models.Add(model);
    }
}

/// <summary>
/// Plans the import of genai-prices' data.json into the catalogue: models the catalogue does not price yet are
/// added with their match names and prefixes; models it prices are compared, and a differing price reported.
/// </summary>
internal static partial class GenAiPricesImport
{
    public const string Label = "genai-prices";

    public static GenAiPricesPlan Plan(JsonElement data, CatalogDoc catalogue, string? provider, DateOnly today, IReadOnlySet<string>? leaveOut = null)
    {
        if (data.ValueKind != JsonValueKind.Array)
        {
            throw new CliException("genai-prices' data.json must be a JSON array of providers");
        }

        var engine = RuntimeCatalog.Engine(catalogue);
        var claims = Claims.Of(catalogue);
        var plan = new GenAiPricesPlan();
        var candidates = new List<(CatalogueProvider Provider, string Source, GenAiPricesModel Model)>();
        foreach (var entry in data.EnumerateArray())
        {
            var providerId = LiteLlmEntry.Text(entry, "id") ?? throw new CliException("a provider of data.json has no 'id'");
            var source = entry.TryGetProperty("pricing_urls", out var urls) && urls.ValueKind == JsonValueKind.Array && urls.GetArrayLength() > 0 ? urls[0].GetString()! : null;
            foreach (var model in entry.TryGetProperty("models", out var models) ? models.EnumerateArray() : default)
            {
                var modelId = LiteLlmEntry.Text(model, "id") ?? "(no id)";
                var label = providerId + "/" + modelId;
                var ours = GenAiPricesProviders.Map(providerId, modelId);
                if (ours is null)
                {
                    plan.Skip(label, $"provider '{providerId}' has no counterpart in the catalogue");
                    continue;
                }

                if (provider is not null && provider != ours.Id && provider != providerId)
                {
                    plan.Skip(label, $"provider is not '{provider}' (--provider)");
                    continue;
                }

                if (leaveOut?.Contains(ours.Id + "/" + modelId) == true)
                {
                    plan.Skip(label, "left out (--leave-out)");
                    continue;
                }

                GenAiPricesModel read;
                try
                {
                    read = GenAiPricesModel.Read(model);
                }
                catch (Exception ex) when (ex is MalformedEntryException or KeyNotFoundException or InvalidOperationException or FormatException)
                {
                    plan.Problems.Add($"model '{label}': {ex.Message}; skipped");
                    plan.Skip(label, "malformed entry");
                    continue;
                }

                var existing = Existing(engine, ours.Id, read);
                if (existing is not null)
                {
                    plan.Compared++;
                    Compare(plan, existing, read);
                    continue;
                }

                if (read.NeedsSchema2 && catalogue.Schema < 2)
                {
                    // Schema 1 has no audio prices (schema: 2 does): imported without them, audio would cost the text price.
                    foreach (var unit in read.Prices.UnitPrices.Concat(read.History.SelectMany(h => h.Prices.UnitPrices)))
                    {
                        plan.Unexpressible.Add((ours.Id + "/" + read.Id, $"{unit.Key} {unit.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}"));
                    }

                    plan.Skip(label, "has prices the catalogue cannot state yet (listed above): not imported");
                    continue;
                }

                if (read.Unexpressible.Count > 0)
                {
                    // Imported without them, the model would charge its audio tokens as text, or one price all day.
                    foreach (var what in read.Unexpressible)
                    {
                        plan.Unexpressible.Add((ours.Id + "/" + read.Id, what));
                    }

                    plan.Skip(label, "has prices the catalogue cannot state yet (listed above): not imported");
                    continue;
                }

                if (!CatalogParser.IsValidModelId(read.Id))
                {
                    plan.Skip(label, "id is not a valid model id of this catalogue schema");
                    continue;
                }

                candidates.Add((ours, source ?? ours.Source ?? "https://github.com/pydantic/genai-prices", read));
            }
        }

        // A name becomes a new model's id before any other model may claim it as a match name.
        claims.ReserveIds(candidates.Select(c => (c.Provider.Id, c.Model.Id)));
        var newProviders = new Dictionary<string, (CatalogueProvider Provider, string Source, List<NewModel> Models)>(StringComparer.Ordinal);
        var known = catalogue.Providers.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var (ours, source, read) in candidates)
        {
            var fullName = ours.Id + "/" + read.Id;
            if (!claims.TakeModel(ours.Id, read.Id, out var clash))
            {
                plan.Skip(fullName, clash!);
                continue;
            }

            var model = ToNewModel(ours, source, read, claims, plan, today);
            if (known.Contains(ours.Id))
            {
                plan.Models.Add(model);
            }
            else
            {
                if (!newProviders.TryGetValue(ours.Id, out var added))
                {
                    newProviders[ours.Id] = added = (ours, ours.Source ?? source, []);
                }

                added.Models.Add(model);
            }
        }

        plan.Providers.AddRange(newProviders.Values.Select(p => new NewProvider(
            p.Provider.Id, p.Provider.Name, p.Source, today, $"imported from genai-prices ({p.Provider.Id})", p.Models.OrderBy(m => m.Id, StringComparer.Ordinal).ToList())));
        return plan;
    }

    private static NewModel ToNewModel(CatalogueProvider ours, string source, GenAiPricesModel read, Claims claims, GenAiPricesPlan plan, DateOnly today)
    {
        var fullName = ours.Id + "/" + read.Id;
        foreach (var rule in read.UnexpressibleMatch)
        {
            plan.MatchRules.Add((fullName, $"{rule}: not in schema 1, left out"));
        }

        var names = new List<string>();
        var wanted = read.Names.ToList();
        if (ours.RouterSuffix is not null)
        {
            wanted.Add(read.Id + ":" + ours.RouterSuffix);
        }

        // genai-prices names Bedrock's in-region price 'regional.<model id>'; callers send the model id.
        const string regional = "regional.";
        if (ours.Id == "bedrock" && read.Id.StartsWith(regional, StringComparison.Ordinal))
        {
            wanted.Insert(0, read.Id[regional.Length..]);
        }

        foreach (var name in wanted.Where(n => n != read.Id))
        {
            if (claims.TakeName(name, ours.Id, fullName, out var owner))
            {
                names.Add(name);
            }
            else if (owner != fullName)
            {
                plan.MatchRules.Add((fullName, $"name '{name}' already resolves to {owner}: left out"));
            }
        }

        var prefixes = new List<string>();
        foreach (var (rule, narrowed) in read.Prefixes.Select(p => (p, false)).Concat(Contains(ours, read).Select(c => (c, true))))
        {
            // Vertex AI versions its partner models as 'claude-sonnet-4-5@20250929': its rules catch those names only.
            var prefix = ours.Id == "vertex" && !rule.EndsWith('@') ? rule + "@" : rule;
            if (narrowed || prefix != rule)
            {
                plan.MatchRules.Add((fullName, $"{(narrowed ? "contains" : "starts_with")} '{rule}' narrowed to prefix '{prefix}'{(narrowed ? " (the catalogue's match rules are global, genai-prices' are per provider)" : " (Vertex AI's versioned names)")}"));
            }

            // genai-prices scopes a rule to its provider; the catalogue's prefixes are global.
            if (claims.CatchesAnotherProvider(prefix, ours.Id) is { } caught)
            {
                plan.MatchRules.Add((fullName, $"prefix '{prefix}' would also catch {caught}: left out"));
                continue;
            }

            if (claims.TakePrefix(prefix, fullName, out var owner))
            {
                prefixes.Add(prefix);
            }
            else if (owner != fullName)
            {
                plan.MatchRules.Add((fullName, $"prefix '{prefix}' already belongs to {owner}: left out"));
            }
        }

        return new NewModel(ours.Id, read.Id, read.Prices, source, today, $"imported from genai-prices ({read.Id})")
        {
            Name = read.Name,
            Active = !read.Deprecated,
            MatchNames = names,
            MatchPrefixes = prefixes,
            History = read.History,
            PerRequestUsd = read.PerRequestUsd,
        };
    }

    /// <summary>Bedrock's cross-region inference profiles: a model id behind one of these, as AWS documents them.</summary>
    private static readonly string[] BedrockGeographies = ["us.", "eu.", "apac.", "us-gov.", "jp.", "au."];

    /// <summary>
    /// The model's 'contains' rules, which the catalogue states as prefixes (its match rules are global, a 'contains' would catch other providers' names). On Bedrock, where a 'contains'
    /// rule is there to catch the cross-region profiles ('us.amazon.nova-pro-v1:0' for 'amazon.nova-pro'), each
    /// geography's profile prefix is added, and a 'regional.' price gets the profiles of its in-region id.
    /// </summary>
    private static IEnumerable<string> Contains(CatalogueProvider ours, GenAiPricesModel model)
    {
        if (ours.Id != "bedrock")
        {
            return model.Contains;
        }

        const string regional = "regional.";
        var isRegional = model.Id.StartsWith(regional, StringComparison.Ordinal);
        var stems = model.Contains.ToList();
        if (isRegional)
        {
            stems.Add(VersionSuffix().Replace(model.Id[regional.Length..], string.Empty));
        }

        // Only a Bedrock model id ('vendor.model') has profiles; a bare 'claude-…' rule stays as it is.
        var geographies = isRegional ? BedrockGeographies : [.. BedrockGeographies, "global."];
        return stems.SelectMany(stem => !BedrockModelId().IsMatch(stem) || BedrockGeographies.Concat(["global."]).Any(g => stem.StartsWith(g, StringComparison.Ordinal))
            ? [stem]
            : geographies.Select(g => g + stem).Prepend(stem)).Distinct(StringComparer.Ordinal);
    }

    /// <summary>The catalogue model of this provider that already prices the source model (by its id, else by one of its names).</summary>
    private static ModelInfo? Existing(PricingEngine engine, string provider, GenAiPricesModel model)
    {
        foreach (var name in model.Names.Prepend(model.Id))
        {
            var resolution = engine.Resolve(name, provider);
            if (!resolution.Source.IsGuess() && resolution.Model?.Provider == provider)
            {
                return resolution.Model;
            }
        }

        return null;
    }

    private static void Compare(GenAiPricesPlan plan, ModelInfo ours, GenAiPricesModel theirs) =>
        plan.Disagreements.AddRange(PriceComparison.Differences(ours.FullName + (ours.Id == theirs.Id ? string.Empty : $" ({theirs.Id})"), Label, ours.Prices, ours.PerRequestUsd, theirs.Prices, theirs.PerRequestUsd)
            .Where(d => d.Theirs is not null && d.Ours != d.Theirs));

    /// <summary>Bedrock's version suffix, '-v1:0' or ':0'.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"(-v[0-9]+)?:[0-9]+$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex VersionSuffix();

    /// <summary>A Bedrock model id starts with its vendor and a dot: 'amazon.nova-pro', 'anthropic.claude-…'.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^[a-z0-9-]+\.[a-z0-9]", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex BedrockModelId();

    /// <summary>Names, prefixes and ids taken in the catalogue and by this import: a name resolves to one model only.</summary>
    private sealed class Claims
    {
        private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
        private readonly HashSet<string> _matchNamesAndAliases = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _prefixes = new(StringComparer.Ordinal);
        private readonly HashSet<string> _fullNames = new(StringComparer.Ordinal);
        private readonly Dictionary<string, (int Order, string Model)> _bareIds = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _order = new(StringComparer.Ordinal);

        /// <summary>Bare ids of existing and newly added models, with the file position of the first provider that has each.</summary>
        private readonly Dictionary<string, int> _anyBareIds = new(StringComparer.Ordinal);
        private string[] _sortedNames = [];

        public static Claims Of(CatalogDoc catalogue)
        {
            var claims = new Claims();
            for (var order = 0; order < catalogue.Providers.Count; order++)
            {
                claims._order[catalogue.Providers[order].Id] = order;
                foreach (var model in catalogue.Providers[order].Models)
                {
                    claims._bareIds.TryAdd(model.Id, (order, model.FullName));
                    claims._anyBareIds.TryAdd(model.Id, order);
                }
            }

            foreach (var model in catalogue.Providers.SelectMany(p => p.Models))
            {
                claims._fullNames.Add(model.FullName);
                claims._names.TryAdd(model.FullName, model.FullName);
                claims._names.TryAdd(model.Id, model.FullName);
                foreach (var name in model.MatchNames)
                {
                    claims._names.TryAdd(name, model.FullName);
                    claims._matchNamesAndAliases.Add(name);
                }

                foreach (var prefix in model.MatchPrefixes)
                {
                    claims._prefixes.TryAdd(prefix, model.FullName);
                }
            }

            foreach (var alias in catalogue.Aliases)
            {
                claims._names.TryAdd(alias.Alias.Name, "alias " + alias.Alias.Name);
                claims._matchNamesAndAliases.Add(alias.Alias.Name);
            }

            return claims;
        }

        public void ReserveIds(IEnumerable<(string Provider, string Id)> models)
        {
            foreach (var (provider, id) in models)
            {
                _names.TryAdd(provider + "/" + id, provider + "/" + id);
                _names.TryAdd(id, provider + "/" + id);
            }

            _sortedNames = _names.Keys.Order(StringComparer.Ordinal).ToArray();
        }

        /// <summary>
        /// A name of another provider's model (its id or a match name) that starts with <paramref name="prefix"/>, or
        /// another provider's shorter prefix whose names it would take (the longest prefix wins); null when neither.
        /// </summary>
        public string? CatchesAnotherProvider(string prefix, string provider)
        {
            if (PrefixOwner(prefix[..^1], provider) is { } shorter)
            {
                return "names of " + shorter;
            }

            var start = Array.BinarySearch(_sortedNames, prefix, StringComparer.Ordinal);
            for (var i = start < 0 ? ~start : start; i < _sortedNames.Length && _sortedNames[i].StartsWith(prefix, StringComparison.Ordinal); i++)
            {
                var owner = _names[_sortedNames[i]];
                if (!owner.StartsWith(provider + "/", StringComparison.Ordinal) && !owner.StartsWith("alias ", StringComparison.Ordinal))
                {
                    return $"'{_sortedNames[i]}' of {owner}";
                }
            }

            return null;
        }

        /// <summary>
        /// A new model's id must not be a match name or an alias, and its full name must be new. Its id is also a bare
        /// name (the first provider in file order has it), which must not change what an existing name resolves to: it
        /// may not be the bare id of an existing model further down, nor a name another provider's prefix resolves
        /// (unless an earlier provider's model has that bare id, which the build then gives it).
        /// </summary>
        public bool TakeModel(string provider, string id, out string? clash)
        {
            var order = _order.GetValueOrDefault(provider, int.MaxValue);
            clash = _matchNamesAndAliases.Contains(id) ? $"id is already a match name or alias ({_names[id]})"
                : _fullNames.Contains(provider + "/" + id) ? "same model as an earlier entry"
                : _bareIds.TryGetValue(id, out var owner) && owner.Order > order ? $"its id would take the bare name from {owner.Model}"
                : !(_anyBareIds.TryGetValue(id, out var first) && first < order) && PrefixOwner(id, provider) is { } prefix ? $"its id would take the name from {prefix}"
                : null;
            if (clash is null)
            {
                // Among new models the first in file order takes a shared bare id, as the build decides.
                _fullNames.Add(provider + "/" + id);
                _anyBareIds[id] = Math.Min(order, _anyBareIds.GetValueOrDefault(id, int.MaxValue));
            }

            return clash is null;
        }

        private string? PrefixOwner(string name, string provider)
        {
            for (var length = name.Length; length > 0; length--)
            {
                if (_prefixes.TryGetValue(name[..length], out var owner) && !owner.StartsWith(provider + "/", StringComparison.Ordinal))
                {
                    return $"prefix '{name[..length]}' of {owner}";
                }
            }

            return null;
        }

        /// <summary>A match name is taken unless it is a name already, or one another provider's prefix resolves.</summary>
        public bool TakeName(string name, string provider, string model, out string? owner)
        {
            if (_names.TryGetValue(name, out owner) || (owner = PrefixOwner(name, provider)) is not null)
            {
                return false;
            }

            _names[name] = model;
            _matchNamesAndAliases.Add(name);
            return true;
        }

        public bool TakePrefix(string prefix, string model, out string? owner)
        {
            if (_prefixes.TryGetValue(prefix, out owner))
            {
                return false;
            }

            _prefixes[prefix] = model;
            return true;
        }
    }
}