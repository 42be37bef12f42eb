using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Catalog.Catalogue;
using Catalog.Catalogue.Model;
using static Catalog.Generator.Emit.CodeWriter;

namespace Catalog.Generator.Emit
{
    /// <summary>
    /// Turns a validated catalogue into C#: one static class holding the frozen table. The runtime
    /// types it constructs live in Catalog.Pricing (namespace Catalog.Pricing).
    /// </summary>
    public static class CatalogEmitter
    {
        public const string HintName = "CompiledCatalog.g.cs";
        private const string Ns = "global::Catalog.Pricing.";
        private const int ModelsPerMethod = 250;

        public static string Emit(CatalogDoc catalog)
        {
            var models = catalog.Providers.SelectMany(p => p.Models).ToList();
            var w = new CodeWriter();
            OpenClass(w, $"// Compiled from {catalog.SourceFile} (catalogue version {catalog.Version}) by Catalog.Generator.", catalog.Version, catalog.SourceFile, models.Count);
            w.Line($"public static {Ns}CatalogData Data {{ get; }} = Build();");
            w.Line();
            w.Open($"private static {Ns}CatalogData Build()");
            w.Line($"var providers = new {Ns}ProviderInfo[]");
            w.Line("{");
            foreach (var provider in catalog.Providers)
            {
                w.Line($"    new({Str(provider.Id)}, {Str(provider.Name)}, {Ns}CacheTokens.{(provider.CacheTokensSeparate ? "Separate" : "Included")}, {Str(provider.InputPerTokenEnv)}, {Str(provider.OutputPerTokenEnv)}, {Prices(provider.DefaultPrices)}, {Str(provider.Source)}, {Date(provider.Checked)}){Initializer((provider.ReasoningTokensSeparate ? $"{Ns}ReasoningTokens.Separate" : null, "ReasoningTokens"), (Modifiers(provider.ServiceTiers), "ServiceTiers"), (Modifiers(provider.Regions), "Regions"))},");
            }

            w.Line("};");
            w.Line($"var models = new {Ns}ModelInfo[{Int(models.Count)}];");
            for (var chunk = 0; chunk * ModelsPerMethod < models.Count; chunk++)
            {
                w.Line($"Models{chunk}(models);");
            }

            w.Line($"var aliases = new {Ns}AliasInfo[]");
            w.Line("{");
            foreach (var alias in catalog.Aliases)
            {
                w.Line($"    new({Str(alias.Alias.Name)}, {Str(alias.Alias.Target)}, {Str(alias.ResolvedModel)}, {Strings(alias.Chain)}, {Prices(alias.EffectivePrices)}, {Str(alias.Alias.Notes)}),");
            }

            w.Line("};");
            w.Line($"var instances = new {Ns}InstanceInfo[]");
            w.Line("{");
            foreach (var i in catalog.Instances)
            {
                w.Line($"    new({Str(i.Vendor)}, {Str(i.Region)}, {Str(i.Type)}, {Str(i.Size)}, {Str(i.Accelerator)}, {Money(i.HourlyUsd)}),");
            }

            w.Line("};");
            w.Line($"var endpoints = new {Ns}EndpointInfo[]");
            w.Line("{");
            foreach (var e in catalog.Endpoints)
            {
                var scale = e.ScaleToZeroAfterMinutes.HasValue ? Int(e.ScaleToZeroAfterMinutes.Value) : "null";
                w.Line($"    new({Str(e.Id)}, {Str(e.Model)}, {Str(e.Vendor)}, {Str(e.Region)}, {Str(e.InstanceType)}, {Str(e.InstanceSize)}, {Money(e.HourlyUsd)}, {Int(e.MinReplicas)}, {Int(e.MaxReplicas)}, {scale}, {Str(e.Notes)}),");
            }

            w.Line("};");
            w.Line($"var alerts = new {Ns}AlertRule[]");
            w.Line("{");
            foreach (var a in catalog.Alerts)
            {
                w.Line($"    new({Str(a.Id)}, {Str(a.Kind)}, {Money(a.ThresholdUsd)}, {Str(a.Team)}, {Money(a.Multiplier)}, {Money(a.MinUsd)}, {Money(a.AboveMtok)}, {Str(a.Notes)}),");
            }

            w.Line("};");
            w.Line();
            w.Line("// Every name a model answers to without a rule: full 'provider/id', then bare 'id' (first provider in file order wins).");
            w.Line($"var modelsByName = new global::System.Collections.Generic.Dictionary<string, {Ns}ModelInfo>({Int(models.Count * 2)}, global::System.StringComparer.Ordinal);");
            w.Line("foreach (var model in models) modelsByName.TryAdd(model.FullName, model);");
            w.Line("foreach (var model in models) modelsByName.TryAdd(model.Id, model);");
            w.Line();
            w.Line("return new(");
            w.Line($"    Version, SourceFile, {Int(catalog.Schema)}, {Int(catalog.TypicalInputTokens)}, {Int(catalog.TypicalOutputTokens)},");
            w.Line($"    {Prices(catalog.Fallback)},");
            w.Line("    providers, models, aliases, instances, endpoints, alerts,");
            w.Line("    global::System.Collections.Frozen.FrozenDictionary.ToFrozenDictionary(providers, p => p.Id, global::System.StringComparer.Ordinal),");
            w.Line("    global::System.Collections.Frozen.FrozenDictionary.ToFrozenDictionary(modelsByName, global::System.StringComparer.Ordinal),");
            w.Line("    global::System.Collections.Frozen.FrozenDictionary.ToFrozenDictionary(aliases, a => a.Name, global::System.StringComparer.Ordinal));");
            w.Close();

            for (var chunk = 0; chunk * ModelsPerMethod < models.Count; chunk++)
            {
                w.Line();
                w.Open($"private static void Models{chunk}({Ns}ModelInfo[] models)");
                for (var index = chunk * ModelsPerMethod; index < models.Count && index < (chunk + 1) * ModelsPerMethod; index++)
                {
                    EmitModel(w, index, models[index]);
                }

                w.Close();
            }

            w.Close();
            w.Close();
            return w.ToString();
        }

        /// <summary>
        /// What the build compiles when the catalogue has errors: the same members without a table, so the
        /// build's only errors are the PRICE diagnostics pointing into the YAML, not CS0103 on every use.
        /// </summary>
        public static string EmitPlaceholder()
        {
            var w = new CodeWriter();
            OpenClass(w, "// The pricing catalogue has errors (see the PRICE diagnostics): no table was compiled.", string.Empty, string.Empty, 0);
            w.Line($"public static {Ns}CatalogData Data => throw new global::System.InvalidOperationException(\"the pricing catalogue has errors; see the PRICE diagnostics of the build\");");
            w.Close();
            w.Close();
            return w.ToString();
        }

        private static void OpenClass(CodeWriter w, string origin, string version, string sourceFile, int modelCount)
        {
            w.Line("// <auto-generated/>");
            w.Line(origin);
            w.Line("// Edit the catalogue, not this file: the build regenerates it.");
            // Nullable analysis of thousands of constructor calls would double the compile time, and finds nothing here.
            w.Line("#nullable disable");
            w.Line();
            w.Open("namespace Catalog.Pricing");
            w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"Catalog.Generator\", \"1.0\")]");
            w.Open("internal static partial class CompiledCatalog");
            w.Line($"public const string Version = {Str(version)};");
            w.Line($"public const string SourceFile = {Str(sourceFile)};");
            w.Line($"public const int ModelCount = {Int(modelCount)};");
            w.Line();
        }

        private static void EmitModel(CodeWriter w, int index, ModelDoc m)
        {
            w.Line($"// {m.FullName} ({m.Location.FilePath.Replace('\\', '/').Split('/').Last()} line {m.Location.Line})");
            w.Line($"models[{Int(index)}] = new(");
            w.Line($"    Provider: {Str(m.Provider)}, Id: {Str(m.Id)}, Name: {Str(m.Name)}, Active: {Bool(m.Active)},");
            w.Line($"    Prices: {Prices(m.Prices)},");
            var history = m.History.Count == 0
                ? "[]"
                : "[" + string.Join(", ", m.History.Select(h => $"new({Date(h.Until)}, {Prices(h.Prices)})")) + "]";
            w.Line($"    History: {history},");
            w.Line($"    PerRequestUsd: {Money(m.PerRequestUsd)}, EstimateRequestUsd: {Money(m.EstimateRequestUsd)},");
            w.Line($"    MatchPrefixes: {Strings(m.MatchPrefixes)}, MatchNames: {Strings(m.MatchNames)},");
            w.Line($"    Source: {Str(m.Source)}, Checked: {Date(m.Checked)}, Notes: {Str(m.Notes)}){Initializer((Modifiers(m.ServiceTiers), "ServiceTiers"), (Modifiers(m.Regions), "Regions"), (Windows(m.TimeWindows), "TimeWindows"))};");
        }

        /// <summary><c> { Name = value, ... }</c> for the values that are set; nothing when none is.</summary>
        private static string Initializer(params (string? Value, string Name)[] properties)
        {
            var set = properties.Where(p => p.Value != null).Select(p => $"{p.Name} = {p.Value}").ToList();
            return set.Count == 0 ? string.Empty : " { " + string.Join(", ", set) + " }";
        }

        private static string? Modifiers(EquatableArray<ModifierDoc> modifiers) =>
            modifiers.Count == 0 ? null : "[" + string.Join(", ", modifiers.Select(m => $"new({Str(m.Name)}, {Money(m.Multiplier)}, {Prices(m.Prices)})")) + "]";

        private static string? Windows(EquatableArray<TimeWindowDoc> windows) =>
            windows.Count == 0 ? null : "[" + string.Join(", ", windows.Select(t => $"new({Time(t.From)}, {Time(t.To)}, {Money(t.Multiplier)}, {Prices(t.Prices)})")) + "]";

        private static string Time(string hhmm) => $"new global::System.TimeOnly({Int(int.Parse(hhmm.Substring(0, 2), CultureInfo.InvariantCulture))}, {Int(int.Parse(hhmm.Substring(3, 2), CultureInfo.InvariantCulture))})";

        private static string Strings(EquatableArray<string> values) =>
            values.Count == 0 ? "[]" : "[" + string.Join(", ", values.Select(Str)) + "]";

        private static string Prices(PriceBlock? p)
        {
            if (p is null)
            {
                return "null";
            }

            var tiers = p.Tiers.Count == 0
                ? "[]"
                : "[" + string.Join(", ", p.Tiers.Select(t => $"new({Int(t.AboveInputTokens)}, {Money(t.Prices.InputMtok)}, {Money(t.Prices.OutputMtok)}, {Money(t.Prices.CacheReadMtok)}, {Money(t.Prices.CacheWriteMtok)}, {Money(t.Prices.CacheWrite1hMtok)}){UnitPrices(t.Prices)}")) + "]";
            return $"new {Ns}PriceSet({Money(p.InputMtok ?? 0m)}, {Money(p.OutputMtok ?? 0m)}, {Money(p.CacheReadMtok)}, {Money(p.CacheWriteMtok)}, {Money(p.CacheWrite1hMtok)}, {tiers}){UnitPrices(p)}";
        }

        /// <summary>The schema-2 prices as an initializer, named as in the catalogue: <c>{ InputAudioMtok = 40m }</c>; nothing for a schema-1 block.</summary>
        private static string UnitPrices(PriceBlock p) =>
            p.UnitPrices.Count == 0 ? string.Empty : " { " + string.Join(", ", p.UnitPrices.Select(u => $"{PropertyName(u.Key)} = {Money(u.Value)}")) + " }";

        /// <summary><c>input_audio_mtok</c> -> <c>InputAudioMtok</c>.</summary>
        internal static string PropertyName(string key) =>
            string.Concat(key.Split('_').Select(part => char.ToUpperInvariant(part[0]) + part.Substring(1)));
    }
}
