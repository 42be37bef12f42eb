using System;
using System.Collections.Immutable;
using System.Linq;
using Catalog.Catalogue;
using Catalog.Generator.Emit;
using Catalog.Catalogue.Model;
using Catalog.Catalogue.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Catalog.Generator
{
    /// <summary>
    /// Compiles the pricing catalogue (the AdditionalFiles item with metadata CatalogRole="pricing")
    /// into a frozen table, or fails the build with diagnostics that point into the YAML file.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class PricingCatalogGenerator : IIncrementalGenerator
    {
        public const string ReadStepName = "ReadCatalogue";
        public const string ParseStepName = "ParseCatalogue";
        public const string RoleMetadata = "build_metadata.AdditionalFiles.CatalogRole";

        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var files = context.AdditionalTextsProvider
                .Combine(context.AnalyzerConfigOptionsProvider)
                .Where(pair => IsCatalogue(pair.Left, pair.Right))
                .Select((pair, cancellationToken) => new CatalogueText(pair.Left.Path, pair.Left.GetText(cancellationToken)?.ToString()))
                .WithTrackingName(ReadStepName);

            var parsed = files
                .Select((file, _) => ParseSafely(file))
                .WithTrackingName(ParseStepName);

            var all = parsed.Collect();
            context.RegisterSourceOutput(all, (spc, results) => Produce(spc, results));
        }

        private static bool IsCatalogue(AdditionalText text, Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptionsProvider options) =>
            options.GetOptions(text).TryGetValue(RoleMetadata, out var role)
            && string.Equals(role, "pricing", StringComparison.OrdinalIgnoreCase);

        private static ParseResult ParseSafely(CatalogueText file)
        {
            if (file.Text is null)
            {
                return new ParseResult(null, new EquatableArray<CatalogProblem>(new[]
                {
                    new CatalogProblem(CatalogProblems.MissingCatalogId, $"the pricing catalogue '{file.Path}' could not be read; check that the file exists (set -p:PricingCatalog=<path>)", LocationInfo.StartOf(file.Path)),
                }));
            }

            return CatalogParser.Parse(file.Path, file.Text);
        }

        private static void Produce(SourceProductionContext context, ImmutableArray<ParseResult> results)
        {
            var source = CatalogEmitter.EmitPlaceholder();
            try
            {
                if (results.Length != 1)
                {
                    var message = results.Length == 0
                        ? "no pricing catalogue was given to the build; add <AdditionalFiles Include=\"pricing.yaml\" CatalogRole=\"pricing\" /> (Catalog.Pricing does this from $(PricingCatalog))"
                        : $"{results.Length} pricing catalogues were given to the build; mark exactly one AdditionalFiles item with CatalogRole=\"pricing\"";
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.MissingCatalog, Location.None, message));
                }
                else
                {
                    var result = results[0];
                    foreach (var problem in result.Problems)
                    {
                        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.For(problem.Id), ToLocation(problem.Location), problem.Message));
                    }

                    if (result.Catalog != null)
                    {
                        source = CatalogEmitter.Emit(result.Catalog);
                    }
                }
            }
            catch (Exception ex)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InternalError, Location.None, $"internal error while compiling the catalogue: {ex.GetType().Name}: {ex.Message}"));
            }

            // Also when the catalogue has errors, so they are the build's only errors.
            context.AddSource(CatalogEmitter.HintName, SourceText.From(source, System.Text.Encoding.UTF8));
        }

        private static Location ToLocation(LocationInfo? info)
        {
            if (info is null)
            {
                return Location.None;
            }

            var start = new LinePosition(Math.Max(0, info.Line - 1), Math.Max(0, info.Column - 1));
            var end = new LinePosition(Math.Max(0, info.EndLine - 1), Math.Max(0, info.EndColumn - 1));
            return Location.Create(info.FilePath, default, new LinePositionSpan(start, end));
        }

        private sealed record CatalogueText(string Path, string? Text);
    }
}
