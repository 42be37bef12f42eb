using System;
using System.Collections.Generic;
using System.Linq;
using Catalog.Catalogue.Model;
using static Catalog.Catalogue.CatalogProblems;

namespace Catalog.Catalogue.Parsing
{
    /// <summary>Cross-entry checks: name collisions, and alias chains followed to a model at build time.</summary>
    internal static class CatalogLinker
    {
        public static List<ResolvedAlias> ResolveAliases(ProblemSink sink, List<ProviderDoc> providers, List<AliasDoc> aliases)
        {
            var models = providers.SelectMany(p => p.Models).ToList();
            var byFullName = new Dictionary<string, ModelDoc>(StringComparer.Ordinal);
            var byBareId = new Dictionary<string, ModelDoc>(StringComparer.Ordinal);
            foreach (var model in models)
            {
                if (!byFullName.ContainsKey(model.FullName))
                {
                    byFullName[model.FullName] = model;
                }

                if (!byBareId.ContainsKey(model.Id))
                {
                    byBareId[model.Id] = model;
                }
            }

            var byMatchName = CheckMatchNames(sink, models, byFullName, byBareId);
            CheckClaims(sink, models, "prefix", m => m.MatchPrefixes);
            CheckClaims(sink, models, "suffix", m => m.MatchSuffixes);
            CheckClaims(sink, models, "contains string", m => m.MatchContains);
            CheckClaims(sink, models, "regex", m => m.MatchRegexes);

            var aliasByName = new Dictionary<string, AliasDoc>(StringComparer.Ordinal);
            foreach (var alias in aliases)
            {
                if (aliasByName.TryGetValue(alias.Name, out var first))
                {
                    sink.Report(DuplicateNameId, $"duplicate alias '{alias.Name}': it is already defined at line {first.Location.Line}; remove one", alias.Location);
                    continue;
                }

                var shadowed = Find(alias.Name, byFullName, byBareId, byMatchName);
                if (shadowed != null)
                {
                    sink.Report(DuplicateNameId, $"alias '{alias.Name}' has the same name as model '{shadowed.FullName}' (line {shadowed.Location.Line}); an alias may not shadow a model: rename the alias", alias.Location);
                    continue;
                }

                aliasByName[alias.Name] = alias;
            }

            var allNames = byFullName.Keys.Concat(byBareId.Keys).Concat(aliasByName.Keys).Distinct().ToList();
            var resolved = new List<ResolvedAlias>();
            foreach (var alias in aliasByName.Values)
            {
                var chain = new List<string> { alias.Name };
                var current = alias;
                var prices = alias.Prices;
                ModelDoc? target = null;
                var failed = false;
                while (true)
                {
                    if (aliasByName.TryGetValue(current.Target, out var next))
                    {
                        if (chain.Contains(next.Name))
                        {
                            chain.Add(next.Name);
                            sink.Report(AliasCycleId, $"alias cycle: {string.Join(" -> ", chain)}; point one of these aliases at a model", alias.TargetLocation);
                            failed = true;
                            break;
                        }

                        chain.Add(next.Name);
                        prices = prices ?? next.Prices;
                        current = next;
                        continue;
                    }

                    target = Find(current.Target, byFullName, byBareId, byMatchName);
                    if (target == null)
                    {
                        if (current == alias)
                        {
                            sink.Report(
                                AliasTargetNotFoundId,
                                $"alias '{alias.Name}' targets '{alias.Target}', which is not in the catalogue{Suggestions.DidYouMean(alias.Target, allNames)} (write 'provider/id', a model id, or another alias)",
                                alias.TargetLocation);
                        }

                        failed = true;
                    }

                    break;
                }

                if (!failed && target != null)
                {
                    chain.Add(target.FullName);
                    resolved.Add(new ResolvedAlias(alias, target.FullName, new EquatableArray<string>(chain), prices));
                    if (prices != null)
                    {
                        CheckAliasJoins(sink, alias, target, prices, target.Prices ?? providers.FirstOrDefault(p => p.Id == target.Provider)?.DefaultPrices);
                    }
                }
            }

            return resolved;
        }

        /// <summary>
        /// The join rule on an alias's prices as charged: an override's price, else the target's (the engine fills
        /// what an override leaves out from the model). Both priced without their overlap would charge it twice.
        /// </summary>
        private static void CheckAliasJoins(ProblemSink sink, AliasDoc alias, ModelDoc target, PriceBlock overrides, PriceBlock? targetPrices)
        {
            foreach (var (first, second, join) in CatalogKeys.Joins)
            {
                if ((overrides[first] ?? targetPrices?[first]) != null && (overrides[second] ?? targetPrices?[second]) != null && (overrides[join] ?? targetPrices?[join]) == null)
                {
                    sink.Report(MissingJoinPriceId, $"alias '{alias.Name}' with the prices of '{target.FullName}' it does not override prices both '{first}' and '{second}', whose tokens overlap (cached audio or image tokens are both); add '{join}' to the alias's prices so those tokens are charged once, at their own price", alias.Location);
                    return;
                }
            }
        }

        private static ModelDoc? Find(string name, Dictionary<string, ModelDoc> byFullName, Dictionary<string, ModelDoc> byBareId, Dictionary<string, ModelDoc> byMatchName)
        {
            if (byFullName.TryGetValue(name, out var model) || byBareId.TryGetValue(name, out model) || byMatchName.TryGetValue(name, out model))
            {
                return model;
            }

            return null;
        }

        private static Dictionary<string, ModelDoc> CheckMatchNames(ProblemSink sink, List<ModelDoc> models, Dictionary<string, ModelDoc> byFullName, Dictionary<string, ModelDoc> byBareId)
        {
            var byMatchName = new Dictionary<string, ModelDoc>(StringComparer.Ordinal);
            foreach (var model in models)
            {
                foreach (var name in model.MatchNames)
                {
                    ModelDoc? other;
                    if ((byFullName.TryGetValue(name, out other) || byBareId.TryGetValue(name, out other)) && other != model)
                    {
                        sink.Report(DuplicateNameId, $"match name '{name}' of model '{model.FullName}' is already the name of model '{other.FullName}' (line {other.Location.Line}); remove it from 'match.names'", model.Location);
                    }
                    else if (byMatchName.TryGetValue(name, out other) && other != model)
                    {
                        sink.Report(DuplicateNameId, $"match name '{name}' of model '{model.FullName}' is also a match name of model '{other.FullName}' (line {other.Location.Line}); a name can resolve to one model only", model.Location);
                    }
                    else
                    {
                        byMatchName[name] = model;
                    }
                }
            }

            return byMatchName;
        }

        /// <summary>Two models claiming the same prefix, suffix, contains string or regex: a name could resolve to either, so it is an error.</summary>
        private static void CheckClaims(ProblemSink sink, List<ModelDoc> models, string kind, Func<ModelDoc, EquatableArray<string>> claims)
        {
            var owners = new Dictionary<string, ModelDoc>(StringComparer.Ordinal);
            foreach (var model in models)
            {
                foreach (var claim in claims(model))
                {
                    if (owners.TryGetValue(claim, out var other) && other != model)
                    {
                        sink.Report(DuplicateNameId, $"match {kind} '{claim}' of model '{model.FullName}' is also a {kind} of model '{other.FullName}' (line {other.Location.Line}); a {kind} can resolve to one model only", model.Location);
                    }
                    else
                    {
                        owners[claim] = model;
                    }
                }
            }
        }
    }
}
