using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Catalog.Catalogue.Model;
using YamlDotNet.RepresentationModel;
using static Catalog.Catalogue.CatalogProblems;

namespace Catalog.Catalogue.Parsing
{
    /// <summary>
    /// The one parser and validator of pricing.yaml. The generator, the tests and any tooling call
    /// <see cref="Parse"/>; it never throws for bad input and reports every problem it finds.
    /// </summary>
    public static class CatalogParser
    {
        /// <summary>The newest schema; every older one still builds and prices the same.</summary>
        public const int SchemaVersion = 2;
        public const decimal LowestPlausibleMtok = 0.001m;
        public const decimal HighestPlausibleMtok = 1000m;

        private static readonly Regex ModelIdPattern = new Regex(@"^\S+$", RegexOptions.CultureInvariant);
        private static readonly Regex ProviderIdPattern = new Regex(@"^[a-z0-9][a-z0-9._\-]*$", RegexOptions.CultureInvariant);
        private static readonly Regex EnvNamePattern = new Regex(@"^[A-Z_][A-Z0-9_]*$", RegexOptions.CultureInvariant);

        /// <summary>Whether <paramref name="id"/> may be a model id (or an alias name): what tools check before adding one.</summary>
        public static bool IsValidModelId(string id) => ModelIdPattern.IsMatch(id);

        public static ParseResult Parse(string filePath, string text)
        {
            var sink = new ProblemSink(filePath);
            try
            {
                var catalog = ParseCore(sink, filePath, text);
                var problems = new EquatableArray<CatalogProblem>(sink.Problems);
                return new ParseResult(problems.Count == 0 ? catalog : null, problems);
            }
            catch (Exception ex)
            {
                sink.Report(InternalErrorId, $"internal error while reading the catalogue: {ex.GetType().Name}: {ex.Message}. Please report it with the file that caused it.", sink.FileStart);
                return new ParseResult(null, new EquatableArray<CatalogProblem>(sink.Problems));
            }
        }

        /// <summary>A short, stable fingerprint of the catalogue text: the catalogue version.</summary>
        public static string Fingerprint(string text)
        {
            using var sha = SHA256.Create();
            var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(text.Replace("\r\n", "\n")));
            var builder = new StringBuilder(16);
            for (var i = 0; i < 8; i++)
            {
                builder.Append(hash[i].ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }

            return builder.ToString();
        }

        private static CatalogDoc? ParseCore(ProblemSink sink, string filePath, string text)
        {
            var stream = YamlLoader.Load(sink, text);
            if (stream is null)
            {
                return null;
            }

            if (stream.Documents.Count == 0 || !(stream.Documents[0].RootNode is YamlMappingNode root))
            {
                sink.Report(MissingFieldId, "the catalogue is empty or not a mapping; start it with 'schema: 1' followed by 'assumptions', 'fallback' and 'providers'", sink.FileStart);
                return null;
            }

            var top = new MapReader(sink, root, "catalogue", "the catalogue");
            var schema = top.Integer("schema", required: true);
            if (schema.HasValue && (schema.Value < 1 || schema.Value > SchemaVersion))
            {
                sink.Report(InvalidValueId, $"'schema' is {schema.Value}, but this build understands schemas 1 to {SchemaVersion}; write 'schema: {SchemaVersion}'", top.LocationOf("schema"));
            }
            else if (schema.HasValue)
            {
                sink.Schema = (int)schema.Value;
            }

            long typicalInput = 0, typicalOutput = 0;
            var assumptionsNode = top.Map("assumptions", required: true);
            if (assumptionsNode != null)
            {
                var assumptions = new MapReader(sink, assumptionsNode, "assumptions", "'assumptions'");
                typicalInput = assumptions.Integer("typical_input_tokens", required: true) ?? 0;
                typicalOutput = assumptions.Integer("typical_output_tokens", required: true) ?? 0;
            }

            PriceBlock? fallback = null;
            var fallbackNode = top.Map("fallback", required: true);
            if (fallbackNode != null)
            {
                fallback = ReadPrices(sink, fallbackNode, "fallback", "'fallback'", requireBase: true, confirmed: false);
            }

            var providers = new List<ProviderDoc>();
            foreach (var node in top.Sequence("providers", required: true))
            {
                var provider = ReadProvider(sink, node);
                if (provider != null)
                {
                    providers.Add(provider);
                }
            }

            var aliases = new List<AliasDoc>();
            foreach (var node in top.Sequence("aliases"))
            {
                var alias = ReadAlias(sink, node);
                if (alias != null)
                {
                    aliases.Add(alias);
                }
            }

            var instances = new List<InstanceDoc>();
            foreach (var node in top.Sequence("instances"))
            {
                var instance = ReadInstance(sink, node);
                if (instance != null)
                {
                    instances.Add(instance);
                }
            }

            var endpoints = new List<EndpointDoc>();
            foreach (var node in top.Sequence("endpoints"))
            {
                var endpoint = ReadEndpoint(sink, node, instances);
                if (endpoint != null)
                {
                    endpoints.Add(endpoint);
                }
            }

            var alerts = new List<AlertDoc>();
            foreach (var node in top.Sequence("alerts"))
            {
                var alert = ReadAlert(sink, node);
                if (alert != null)
                {
                    alerts.Add(alert);
                }
            }

            CheckDuplicates(sink, alerts.Select(a => (a.Id, a.Location)), "alert");
            var budgets = new List<BudgetDoc>();
            foreach (var node in top.Sequence("budgets"))
            {
                var budget = ReadBudget(sink, node);
                if (budget != null)
                {
                    budgets.Add(budget);
                }
            }

            CheckDuplicates(sink, budgets.Select(b => (b.Id, b.Location)), "budget");
            CheckProviderAndModelNames(sink, providers);
            var resolvedAliases = CatalogLinker.ResolveAliases(sink, providers, aliases);
            CheckDuplicates(sink, instances.Select(i => (i.Key, i.Location)), "instance");
            CheckDuplicates(sink, endpoints.Select(e => (e.Id, e.Location)), "endpoint");

            if (fallback == null)
            {
                return null;
            }

            return new CatalogDoc(
                (int)(schema ?? SchemaVersion),
                Fingerprint(text),
                Path.GetFileName(filePath),
                typicalInput,
                typicalOutput,
                fallback,
                new EquatableArray<ProviderDoc>(providers),
                new EquatableArray<ResolvedAlias>(resolvedAliases),
                new EquatableArray<InstanceDoc>(instances),
                new EquatableArray<EndpointDoc>(endpoints),
                new EquatableArray<AlertDoc>(alerts))
            {
                Budgets = new EquatableArray<BudgetDoc>(budgets),
            };
        }

        private static ProviderDoc? ReadProvider(ProblemSink sink, YamlNode node)
        {
            if (!(node is YamlMappingNode map))
            {
                sink.Report(InvalidValueId, "each item of 'providers' must be a mapping with 'id', 'name' and 'models'", node);
                return null;
            }

            var idText = MapReader.Peek(map, "id") ?? "?";
            var reader = new MapReader(sink, map, "provider", $"provider '{idText}'");
            var id = reader.String("id", required: true);
            if (id != null && !ProviderIdPattern.IsMatch(id))
            {
                sink.Report(InvalidValueId, $"provider id '{id}' must be lower-case letters, digits, '.', '-' or '_' (no '/' or spaces)", reader.LocationOf("id"));
            }

            var name = reader.String("name", required: true);
            var cacheTokens = reader.OneOf("cache_tokens", "separate", "included");
            var reasoningTokens = reader.OneOf("reasoning_tokens", "separate", "included");
            var confirmed = reader.Bool("price_confirmed") ?? false;
            string? inputEnv = null, outputEnv = null;
            var envNode = reader.Map("env");
            if (envNode != null)
            {
                var env = new MapReader(sink, envNode, "env", $"'env' of provider '{idText}'");
                inputEnv = EnvName(sink, env, "input_per_token");
                outputEnv = EnvName(sink, env, "output_per_token");
            }

            PriceBlock? defaults = null;
            var defaultsNode = reader.Map("default_prices");
            if (defaultsNode != null)
            {
                defaults = ReadPrices(sink, defaultsNode, "prices", $"'default_prices' of provider '{idText}'", requireBase: true, confirmed);
            }

            var source = reader.String("source");
            var checkedOn = reader.Date("checked");
            var serviceTiers = ReadModifiers(sink, reader, "service_tiers", $"provider '{idText}'", confirmed);
            var regions = ReadModifiers(sink, reader, "regions", $"provider '{idText}'", confirmed);
            var models = new List<ModelDoc>();
            foreach (var modelNode in reader.Sequence("models", required: true))
            {
                var model = ReadModel(sink, modelNode, idText, defaults != null);
                if (model != null)
                {
                    models.Add(model);
                }
            }

            if (id == null || name == null)
            {
                return null;
            }

            return new ProviderDoc(id, name, cacheTokens == "separate", inputEnv, outputEnv, defaults, source, checkedOn, new EquatableArray<ModelDoc>(models), reader.Location)
            {
                ReasoningTokensSeparate = reasoningTokens == "separate",
                ServiceTiers = serviceTiers,
                Regions = regions,
            };
        }

        private static string? EnvName(ProblemSink sink, MapReader env, string key)
        {
            var name = env.String(key);
            if (name != null && !EnvNamePattern.IsMatch(name))
            {
                sink.Report(InvalidEnvNameId, $"'{name}' is not a valid environment variable name for '{key}'; use upper-case letters, digits and '_', not starting with a digit (e.g. {EnvSuggestion(name)})", env.LocationOf(key));
                return null;
            }

            return name;
        }

        private static string EnvSuggestion(string name)
        {
            var cleaned = Regex.Replace(name.ToUpperInvariant(), "[^A-Z0-9_]", "_");
            return cleaned.Length > 0 && char.IsDigit(cleaned[0]) ? "_" + cleaned : cleaned;
        }

        private static ModelDoc? ReadModel(ProblemSink sink, YamlNode node, string provider, bool providerHasDefaults)
        {
            if (!(node is YamlMappingNode map))
            {
                sink.Report(InvalidValueId, $"each item of 'models' of provider '{provider}' must be a mapping with 'id', 'source', 'checked' and 'prices'", node);
                return null;
            }

            var idText = MapReader.Peek(map, "id") ?? "?";
            var where = $"model '{provider}/{idText}'";
            var reader = new MapReader(sink, map, "model", where);
            var id = reader.String("id", required: true);
            if (id != null && !ModelIdPattern.IsMatch(id))
            {
                sink.Report(InvalidValueId, $"model id '{id}' may not contain whitespace (any other character is allowed, e.g. '@cf/meta/llama-3-8b' or '~openai/gpt-latest')", reader.LocationOf("id"));
            }

            var confirmed = reader.Bool("price_confirmed") ?? false;
            var prefixes = new List<string>();
            var names = new List<string>();
            var suffixes = new List<string>();
            var contains = new List<string>();
            var regexes = new List<string>();
            var matchNode = reader.Map("match");
            if (matchNode != null)
            {
                var match = new MapReader(sink, matchNode, "match", $"'match' of {where}");
                prefixes.AddRange(match.Strings("prefixes"));
                names.AddRange(match.Strings("names"));
                suffixes.AddRange(match.Strings("suffixes"));
                contains.AddRange(match.Strings("contains"));
                regexes.AddRange(match.Strings("regex"));
                if (suffixes.Concat(contains).Any(text => text.Length == 0))
                {
                    sink.Report(InvalidValueId, $"an empty suffix or contains string in 'match' of {where} would match every name; remove it", match.Location);
                }

                foreach (var pattern in regexes)
                {
                    if (MatchRegex.Error(pattern) is { } error)
                    {
                        sink.Report(InvalidValueId, $"regex '{pattern}' in 'match' of {where} {error}; write a .NET regular expression matched against the whole name, such as '^acme-v[0-9]+-voice$'", match.LocationOf("regex"));
                    }
                }
            }

            PriceBlock? prices = null;
            var pricesNode = reader.Map("prices", required: !providerHasDefaults);
            if (pricesNode != null)
            {
                prices = ReadPrices(sink, pricesNode, "prices", $"'prices' of {where}", requireBase: true, confirmed);
            }

            var history = ReadHistory(sink, reader, where, confirmed);
            var serviceTiers = ReadModifiers(sink, reader, "service_tiers", where, confirmed);
            var regions = ReadModifiers(sink, reader, "regions", where, confirmed);
            var windows = ReadTimeWindows(sink, reader, where, confirmed);
            var perRequest = reader.Money("per_request_usd") ?? 0m;
            var estimate = reader.Money("estimate_request_usd");
            var source = reader.String("source", required: true);
            var checkedOn = reader.Date("checked", required: true);
            var active = reader.Bool("active") ?? true;
            var name = reader.String("name");
            var notes = reader.String("notes");
            if (id == null)
            {
                return null;
            }

            return new ModelDoc(
                provider,
                id,
                name,
                active,
                new EquatableArray<string>(prefixes),
                new EquatableArray<string>(names),
                source,
                checkedOn,
                prices,
                new EquatableArray<HistoryDoc>(history),
                perRequest,
                estimate,
                notes,
                reader.Location)
            {
                MatchSuffixes = new EquatableArray<string>(suffixes),
                MatchContains = new EquatableArray<string>(contains),
                MatchRegexes = new EquatableArray<string>(regexes),
                ServiceTiers = serviceTiers,
                Regions = regions,
                TimeWindows = windows,
            };
        }

        /// <summary>A multiplier of every token and count price (above 0, at most 10).</summary>
        private const decimal MaxMultiplier = 10m;

        /// <summary><c>service_tiers</c> or <c>regions</c>: a mapping of names to <c>{ multiplier }</c> or <c>{ prices }</c>.</summary>
        private static EquatableArray<ModifierDoc> ReadModifiers(ProblemSink sink, MapReader reader, string key, string where, bool confirmed)
        {
            var node = reader.Map(key);
            if (node == null)
            {
                return EquatableArray<ModifierDoc>.Empty;
            }

            var modifiers = new List<ModifierDoc>();
            foreach (var entry in node.Children)
            {
                var name = (entry.Key as YamlScalarNode)?.Value ?? string.Empty;
                var entryWhere = $"'{key}.{name}' of {where}";
                if (!(entry.Value is YamlMappingNode map))
                {
                    sink.Report(InvalidValueId, $"{entryWhere} must be a mapping such as {{ multiplier: 0.5 }} or {{ prices: {{ input_mtok: 5, output_mtok: 20 }} }}", entry.Value);
                    continue;
                }

                var (multiplier, prices) = ReadChange(sink, new MapReader(sink, map, "modifier", entryWhere), entryWhere, confirmed);
                if (multiplier != null || prices != null)
                {
                    modifiers.Add(new ModifierDoc(name, multiplier, prices));
                }
            }

            return new EquatableArray<ModifierDoc>(modifiers);
        }

        /// <summary>Exactly one of <c>multiplier</c> (above 0, at most 10) and <c>prices</c>.</summary>
        private static (decimal? Multiplier, PriceBlock? Prices) ReadChange(ProblemSink sink, MapReader reader, string where, bool confirmed)
        {
            var multiplier = reader.Money("multiplier");
            var pricesNode = reader.Map("prices");
            reader.String("source");
            reader.Date("checked");
            var prices = pricesNode == null ? null : ReadPrices(sink, pricesNode, "prices", $"'prices' of {where}", requireBase: true, confirmed);
            if (multiplier.HasValue && (multiplier.Value <= 0m || multiplier.Value > MaxMultiplier))
            {
                sink.Report(InvalidValueId, $"'multiplier' of {where} is {multiplier.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}; it must be above 0 and at most {MaxMultiplier} (0.5 halves every price)", reader.LocationOf("multiplier"));
                multiplier = null;
            }

            if ((multiplier.HasValue || reader.Has("multiplier")) == (pricesNode != null))
            {
                sink.Report(InvalidValueId, $"{where} needs exactly one of 'multiplier' (e.g. 0.5) or 'prices' (a whole price set)", reader.Location);
                return (null, null);
            }

            return (multiplier, prices);
        }

        private static EquatableArray<TimeWindowDoc> ReadTimeWindows(ProblemSink sink, MapReader reader, string where, bool confirmed)
        {
            var windows = new List<(TimeWindowDoc Window, int From, int To, LocationInfo Location)>();
            foreach (var node in reader.Sequence("time_windows"))
            {
                if (!(node is YamlMappingNode map))
                {
                    sink.Report(InvalidValueId, $"each item of 'time_windows' of {where} must be a mapping such as {{ from: \"16:30\", to: \"00:30\", multiplier: 0.5 }}", node);
                    continue;
                }

                var windowWhere = $"a time window of {where}";
                var window = new MapReader(sink, map, "time_window", windowWhere);
                var from = Time(sink, window, "from", windowWhere);
                var to = Time(sink, window, "to", windowWhere);
                var (multiplier, prices) = ReadChange(sink, window, windowWhere, confirmed);
                if (from == null || to == null || (multiplier == null && prices == null))
                {
                    continue;
                }

                if (from.Value.Minutes == to.Value.Minutes)
                {
                    sink.Report(InvalidValueId, $"{windowWhere} starts and ends at {from.Value.Text}; give it a length ('to' is exclusive)", window.LocationOf("to"));
                    continue;
                }

                foreach (var (other, otherFrom, otherTo, _) in windows)
                {
                    if (Overlap(from.Value.Minutes, to.Value.Minutes, otherFrom, otherTo))
                    {
                        sink.Report(OverlappingWindowsId, $"{windowWhere} ({from.Value.Text}-{to.Value.Text} UTC) overlaps the window {other.From}-{other.To}; a time of day may fall in one window only", window.Location);
                        break;
                    }
                }

                windows.Add((new TimeWindowDoc(from.Value.Text, to.Value.Text, multiplier, prices), from.Value.Minutes, to.Value.Minutes, window.Location));
            }

            return new EquatableArray<TimeWindowDoc>(windows.Select(w => w.Window));
        }

        /// <summary>A time of day <c>HH:mm</c> (UTC), as text and minutes since midnight.</summary>
        private static (string Text, int Minutes)? Time(ProblemSink sink, MapReader reader, string key, string where)
        {
            var text = reader.String(key, required: true);
            if (text == null)
            {
                return null;
            }

            var match = Regex.Match(text, @"^([01][0-9]|2[0-3]):([0-5][0-9])$", RegexOptions.CultureInvariant);
            if (!match.Success)
            {
                sink.Report(InvalidValueId, $"'{key}: {text}' in {where} is not a time of day; write \"HH:mm\" in UTC, 24-hour, e.g. \"16:30\"", reader.LocationOf(key));
                return null;
            }

            return (text, (int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) * 60) + int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
        }

        /// <summary>Whether two windows [from, to) of a 24-hour clock (wrapping at midnight) share a minute.</summary>
        private static bool Overlap(int aFrom, int aTo, int bFrom, int bTo)
        {
            bool Inside(int minute, int from, int to) => from < to ? minute >= from && minute < to : minute >= from || minute < to;
            return Inside(aFrom, bFrom, bTo) || Inside(bFrom, aFrom, aTo);
        }

        private static List<HistoryDoc> ReadHistory(ProblemSink sink, MapReader reader, string where, bool confirmed)
        {
            var history = new List<HistoryDoc>();
            string? previous = null;
            foreach (var node in reader.Sequence("history"))
            {
                if (!(node is YamlMappingNode map))
                {
                    sink.Report(InvalidValueId, $"each item of 'history' of {where} must be a mapping with 'until' and prices", node);
                    continue;
                }

                var entry = new MapReader(sink, map, "history", $"a 'history' entry of {where}");
                var until = entry.Date("until", required: true);
                var prices = ReadPrices(sink, map, "history", $"a 'history' entry of {where}", requireBase: true, confirmed, reportKeys: false);
                if (until == null || prices == null)
                {
                    continue;
                }

                if (previous != null && string.CompareOrdinal(until, previous) <= 0)
                {
                    sink.Report(HistoryNotIncreasingId, $"'until: {until}' in {where} is not after the previous entry's {previous}; list history oldest first with strictly increasing 'until' dates", entry.LocationOf("until"));
                }

                previous = until;
                history.Add(new HistoryDoc(until, prices));
            }

            return history;
        }

        internal static PriceBlock? ReadPrices(ProblemSink sink, YamlMappingNode map, string context, string where, bool requireBase, bool confirmed, bool reportKeys = true)
        {
            var reader = new MapReader(sink, map, context, where, reportKeys);
            var allowed = CatalogKeys.ByContext[context];
            var values = new decimal?[CatalogKeys.PriceFields.Length];
            var unitPrices = new List<UnitPriceDoc>();
            for (var i = 0; i < values.Length; i++)
            {
                var field = CatalogKeys.PriceFields[i];
                if (Array.IndexOf(allowed, field) >= 0)
                {
                    values[i] = reader.Money(field, requireBase && i < 2);
                    if (field.EndsWith("_mtok", StringComparison.Ordinal))
                    {
                        CheckPlausible(sink, reader, where, field, values[i], confirmed);
                    }

                    if (i >= 5 && values[i].HasValue)
                    {
                        unitPrices.Add(new UnitPriceDoc(field, values[i]!.Value));
                    }
                }
            }

            var tiers = new List<TierDoc>();
            if (Array.IndexOf(allowed, "tiers") >= 0)
            {
                long previous = 0;
                foreach (var node in reader.Sequence("tiers"))
                {
                    if (!(node is YamlMappingNode tierMap))
                    {
                        sink.Report(InvalidValueId, $"each item of 'tiers' in {where} must be a mapping with 'above_input_tokens' and prices", node);
                        continue;
                    }

                    var tierWhere = $"a tier of {where}";
                    var tierReader = new MapReader(sink, tierMap, "tier", tierWhere);
                    var above = tierReader.Integer("above_input_tokens", required: true, min: 1);
                    var tierPrices = ReadPrices(sink, tierMap, "tier", tierWhere, requireBase: false, confirmed, reportKeys: false);
                    if (above == null || tierPrices == null)
                    {
                        continue;
                    }

                    if (above.Value <= previous)
                    {
                        sink.Report(TiersNotIncreasingId, $"tier 'above_input_tokens: {above.Value}' in {where} is not above the previous tier's {previous}; list tiers with strictly increasing thresholds", tierReader.LocationOf("above_input_tokens"));
                    }

                    previous = above.Value;
                    tiers.Add(new TierDoc(above.Value, tierPrices));
                }
            }

            var block = new PriceBlock(values[0], values[1], values[2], values[3], values[4], new EquatableArray<TierDoc>(tiers))
            {
                UnitPrices = new EquatableArray<UnitPriceDoc>(unitPrices),
            };
            if (requireBase)
            {
                CheckJoins(sink, reader, where, block);
            }

            return block;
        }

        /// <summary>The join rule, on the block and on each of its tiers as charged (the tier's prices over the block's).</summary>
        private static void CheckJoins(ProblemSink sink, MapReader reader, string where, PriceBlock block)
        {
            foreach (var (first, second, join) in CatalogKeys.Joins)
            {
                var tiers = new[] { (PriceBlock?)null }.Concat(block.Tiers.Select(t => t.Prices));
                foreach (var tier in tiers)
                {
                    if ((tier?[first] ?? block[first]) != null && (tier?[second] ?? block[second]) != null && (tier?[join] ?? block[join]) == null)
                    {
                        var inTier = tier is null ? string.Empty : " (with a tier's prices)";
                        sink.Report(MissingJoinPriceId, $"{where}{inTier} prices both '{first}' and '{second}', whose tokens overlap (cached audio or image tokens are both); add '{join}' so those tokens are charged once, at their own price", reader.LocationOf(reader.Has(second) ? second : first));
                        break;
                    }
                }
            }
        }

        private static void CheckPlausible(ProblemSink sink, MapReader reader, string where, string field, decimal? value, bool confirmed)
        {
            if (confirmed || value == null || value.Value == 0m)
            {
                return;
            }

            if (value.Value < LowestPlausibleMtok)
            {
                sink.Report(SuspiciousUnitId, $"'{field}: {value.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}' in {where} looks like a per-token price; '_mtok' fields are USD per million tokens (multiply by 1,000,000). If the price really is this low, add 'price_confirmed: true' to the entry", reader.LocationOf(field));
            }
            else if (value.Value > HighestPlausibleMtok)
            {
                sink.Report(SuspiciousUnitId, $"'{field}: {value.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}' in {where} is over {HighestPlausibleMtok} USD per million tokens, which looks like a unit mistake. If the price really is this high, add 'price_confirmed: true' to the entry", reader.LocationOf(field));
            }
        }

        private static AliasDoc? ReadAlias(ProblemSink sink, YamlNode node)
        {
            if (!(node is YamlMappingNode map))
            {
                sink.Report(InvalidValueId, "each item of 'aliases' must be a mapping with 'name' and 'target'", node);
                return null;
            }

            var where = $"alias '{MapReader.Peek(map, "name") ?? "?"}'";
            var reader = new MapReader(sink, map, "alias", where);
            var name = reader.String("name", required: true);
            if (name != null && !ModelIdPattern.IsMatch(name))
            {
                sink.Report(InvalidValueId, $"alias name '{name}' may not contain whitespace (any other character is allowed)", reader.LocationOf("name"));
            }

            var target = reader.String("target", required: true);
            var confirmed = reader.Bool("price_confirmed") ?? false;
            PriceBlock? prices = null;
            var pricesNode = reader.Map("prices");
            if (pricesNode != null)
            {
                prices = ReadPrices(sink, pricesNode, "prices", $"'prices' of {where}", requireBase: true, confirmed);
            }

            var notes = reader.String("notes");
            if (name == null || target == null)
            {
                return null;
            }

            return new AliasDoc(name, target, prices, notes, reader.Location, reader.LocationOf("target"));
        }

        private static InstanceDoc? ReadInstance(ProblemSink sink, YamlNode node)
        {
            if (!(node is YamlMappingNode map))
            {
                sink.Report(InvalidValueId, "each item of 'instances' must be a mapping with 'vendor', 'region', 'type', 'size' and 'hourly_usd'", node);
                return null;
            }

            var reader = new MapReader(sink, map, "instance", "an instance");
            var vendor = reader.String("vendor", required: true);
            var region = reader.String("region", required: true);
            var type = reader.String("type", required: true);
            var size = reader.String("size", required: true);
            var hourly = reader.Money("hourly_usd", required: true);
            var accelerator = reader.String("accelerator");
            reader.String("source");
            reader.Date("checked");
            if (vendor == null || region == null || type == null || size == null || hourly == null)
            {
                return null;
            }

            return new InstanceDoc(vendor, region, type, size, accelerator, hourly.Value, reader.Location);
        }

        private static EndpointDoc? ReadEndpoint(ProblemSink sink, YamlNode node, List<InstanceDoc> instances)
        {
            if (!(node is YamlMappingNode map))
            {
                sink.Report(InvalidValueId, "each item of 'endpoints' must be a mapping with 'id', 'model', 'vendor', 'region', an instance or 'hourly_usd', and replicas", node);
                return null;
            }

            var where = $"endpoint '{MapReader.Peek(map, "id") ?? "?"}'";
            var reader = new MapReader(sink, map, "endpoint", where);
            var id = reader.String("id", required: true);
            var model = reader.String("model", required: true);
            var vendor = reader.String("vendor", required: true);
            var region = reader.String("region", required: true);
            var type = reader.String("instance_type");
            var size = reader.String("instance_size");
            var hourly = reader.Money("hourly_usd");
            var min = reader.Integer("min_replicas", required: true, min: 0, max: 1000);
            var max = reader.Integer("max_replicas", required: true, min: 1, max: 1000);
            var scaleToZero = reader.Integer("scale_to_zero_after_minutes", min: 1, max: 100000);
            var notes = reader.String("notes");

            if (type != null && size != null && vendor != null && region != null)
            {
                var key = vendor + "/" + region + "/" + type + "/" + size;
                var instance = instances.FirstOrDefault(i => i.Key == key);
                if (instance == null)
                {
                    var suggestion = Suggestions.DidYouMean(key, instances.Select(i => i.Key));
                    sink.Report(UnknownInstanceId, $"{where} uses instance '{key}', which is not in 'instances'{suggestion}; add it to 'instances' or give the endpoint an explicit 'hourly_usd'", reader.LocationOf("instance_type"));
                }
                else if (hourly == null)
                {
                    hourly = instance.HourlyUsd;
                }
            }
            else if ((type == null) != (size == null))
            {
                sink.Report(MissingFieldId, $"{where} needs both 'instance_type' and 'instance_size' (or neither, with 'hourly_usd')", reader.Location);
            }
            else if (hourly == null && reader.Has("hourly_usd") == false)
            {
                sink.Report(MissingFieldId, $"{where} has no rate; add 'instance_type' and 'instance_size' from 'instances', or an explicit 'hourly_usd'", reader.Location);
            }

            if (min != null && max != null && min.Value > max.Value)
            {
                sink.Report(ReplicaRangeId, $"{where} has min_replicas {min.Value} above max_replicas {max.Value}; raise max_replicas or lower min_replicas", reader.LocationOf("min_replicas"));
            }

            if (scaleToZero != null && min != null && min.Value > 0)
            {
                sink.Report(ReplicaRangeId, $"{where} has scale_to_zero_after_minutes but min_replicas {min.Value}; it can only scale to zero with min_replicas: 0", reader.LocationOf("scale_to_zero_after_minutes"));
            }

            if (id == null || model == null || vendor == null || region == null || hourly == null || min == null || max == null)
            {
                return null;
            }

            return new EndpointDoc(id, model, vendor, region, type, size, hourly.Value, (int)min.Value, (int)max.Value, scaleToZero.HasValue ? (int?)scaleToZero.Value : null, notes, reader.Location);
        }

        private static AlertDoc? ReadAlert(ProblemSink sink, YamlNode node)
        {
            if (!(node is YamlMappingNode map))
            {
                sink.Report(InvalidValueId, "each item of 'alerts' must be a mapping with 'id' and 'kind'", node);
                return null;
            }

            var where = $"alert '{MapReader.Peek(map, "id") ?? "?"}'";
            var reader = new MapReader(sink, map, "alert", where);
            var id = reader.String("id", required: true);
            var kind = reader.OneOf("kind", CatalogKeys.AlertKinds.Keys.ToArray());
            if (kind == null && !reader.Has("kind"))
            {
                sink.Report(MissingFieldId, $"{where} has no 'kind'; add 'kind:' with one of {string.Join(", ", CatalogKeys.AlertKinds.Keys)}", reader.Location);
            }

            var threshold = reader.Money("threshold_usd");
            var team = reader.String("team");
            var multiplier = reader.Money("multiplier");
            var minUsd = reader.Money("min_usd");
            var aboveMtok = reader.Money("above_mtok");
            var notes = reader.String("notes");
            if (kind != null)
            {
                foreach (var field in CatalogKeys.AlertKinds[kind])
                {
                    if (!reader.Has(field))
                    {
                        sink.Report(MissingFieldId, $"{where} of kind '{kind}' has no '{field}'; add '{field}:'", reader.Location);
                    }
                }
            }

            if (multiplier.HasValue && multiplier.Value <= 1m)
            {
                sink.Report(InvalidValueId, $"'multiplier' in {where} is {multiplier.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}; it must be above 1 (today's spend above k times the trailing 7-day mean)", reader.LocationOf("multiplier"));
            }

            if (id == null || kind == null)
            {
                return null;
            }

            return new AlertDoc(id, kind, threshold, team, multiplier, minUsd, aboveMtok, notes, reader.Location);
        }

        private static BudgetDoc? ReadBudget(ProblemSink sink, YamlNode node)
        {
            if (!(node is YamlMappingNode map))
            {
                sink.Report(InvalidValueId, "each item of 'budgets' must be a mapping with 'id', 'period', 'amount_usd' and 'scope'", node);
                return null;
            }

            var where = $"budget '{MapReader.Peek(map, "id") ?? "?"}'";
            var reader = new MapReader(sink, map, "budget", where);
            var id = reader.String("id", required: true);
            var name = reader.String("name");
            var period = reader.OneOf("period", CatalogKeys.BudgetPeriods);
            if (!reader.Has("period"))
            {
                sink.Report(MissingFieldId, $"{where} has no 'period'; add 'period: monthly' or 'period: daily' (UTC)", reader.Location);
            }

            var amount = reader.Money("amount_usd", required: true);
            if (amount.HasValue && amount.Value <= 0m)
            {
                sink.Report(InvalidValueId, $"'amount_usd' in {where} must be more than 0 (USD a period)", reader.LocationOf("amount_usd"));
                amount = null;
            }

            var warning = reader.Money("warning_share");
            if (warning.HasValue && (warning.Value <= 0m || warning.Value > 1m))
            {
                sink.Report(InvalidValueId, $"'warning_share' in {where} must be above 0 and at most 1 (0.8 = warning from 80% of the amount)", reader.LocationOf("warning_share"));
                warning = null;
            }

            var notes = reader.String("notes");
            string? dimension = null, value = null;
            if (reader.Map("scope", required: true) is { } scopeMap)
            {
                var scope = new MapReader(sink, scopeMap, "budget_scope", $"the scope of {where}");
                var set = CatalogKeys.BudgetScopes.Where(scope.Has).ToList();
                if (set.Count != 1)
                {
                    sink.Report(InvalidValueId, $"the scope of {where} must name exactly one of {string.Join(", ", CatalogKeys.BudgetScopes)}, e.g. '{{ team: search }}'; it names {(set.Count == 0 ? "none" : string.Join(" and ", set))}", reader.LocationOf("scope"));
                }
                else
                {
                    dimension = set[0];
                    value = scope.String(dimension);
                    if (dimension == "tag" && value != null && value.IndexOf(':') <= 0)
                    {
                        sink.Report(InvalidValueId, $"the tag scope of {where} is 'key:value' (the call's tags.key equals value), e.g. 'feature:summaries'; not '{value}'", scope.LocationOf("tag"));
                        value = null;
                    }
                }
            }

            if (id == null || period == null || amount == null || dimension == null || value == null)
            {
                return null;
            }

            return new BudgetDoc(id, name, period, amount.Value, dimension, value, warning, notes, reader.Location);
        }

        private static void CheckProviderAndModelNames(ProblemSink sink, List<ProviderDoc> providers)
        {
            CheckDuplicates(sink, providers.Select(p => (p.Id, p.Location)), "provider");
            foreach (var provider in providers)
            {
                CheckDuplicates(sink, provider.Models.Select(m => (m.Id, m.Location)), "model", $" in provider '{provider.Id}'");
            }
        }

        private static void CheckDuplicates(ProblemSink sink, IEnumerable<(string Name, LocationInfo Location)> items, string kind, string scope = "")
        {
            var seen = new Dictionary<string, LocationInfo>(StringComparer.Ordinal);
            foreach (var (name, location) in items)
            {
                if (seen.TryGetValue(name, out var first))
                {
                    sink.Report(DuplicateNameId, $"duplicate {kind} '{name}'{scope}: it is already defined at line {first.Line}; remove one or rename it", location);
                }
                else
                {
                    seen[name] = location;
                }
            }
        }
    }
}
