using System.Collections.Immutable;
using System.Globalization;
using Basic.Reference.Assemblies;
using Catalog.Pricing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Catalog.Generator.Tests.Support;

/// <summary>Runs PricingCatalogGenerator the way the compiler does, offline: .NET 10 reference assemblies plus Catalog.Pricing.</summary>
internal static class GeneratorHarness
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    /// <summary>The catalogue inside an emitted source: its one literal, decoded.</summary>
    public static Catalog.Catalogue.Model.CatalogDoc EncodedCatalogue(string generatedSource)
    {
        var match = System.Text.RegularExpressions.Regex.Match(generatedSource, "Encoded => \"([A-Za-z0-9+/=]*)\"u8;");
        Assert.True(match.Success, "the emitted source has no encoded catalogue");
        return Catalog.Catalogue.Model.CatalogCodec.Decode(Convert.FromBase64String(match.Groups[1].Value));
    }

    /// <summary>Uses the generated members the way Catalog.Pricing's BuiltInCatalog does.</summary>
    private const string BuiltInCatalogUse = """
        namespace Catalog.Pricing;
        internal static class UsesCompiledCatalog
        {
            public static CatalogData Data => CompiledCatalog.Data;
            public static string Version => CompiledCatalog.Version;
        }
        """;

    private static readonly ImmutableArray<MetadataReference> References =
        [.. Net100.References.All, MetadataReference.CreateFromFile(typeof(CatalogData).Assembly.Location)];

    public static CSharpCompilation Compilation(params string[] sources) => CSharpCompilation.Create(
        "GeneratorTests",
        sources.Select(source => CSharpSyntaxTree.ParseText(source, ParseOptions)),
        References,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver Driver(params CatalogueFile[] files) => CSharpGeneratorDriver.Create(
        [new PricingCatalogGenerator().AsSourceGenerator()],
        files,
        ParseOptions,
        new CatalogueRoleOptionsProvider(),
        new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static GeneratorOutcome Run(params CatalogueFile[] files)
    {
        var driver = Driver(files).RunGeneratorsAndUpdateCompilation(Compilation(BuiltInCatalogUse), out var output, out _);
        return new GeneratorOutcome(driver.GetRunResult(), output);
    }

    /// <summary>The problems the generator reports for a catalogue under Catalogues/.</summary>
    public static IReadOnlyList<Reported> Problems(string catalogue) =>
        Run(CatalogueFile.Read(RepoPaths.Catalogue(catalogue))).Diagnostics.Select(Reported.From).ToList();
}

/// <summary>What one generator run produced: its diagnostics, its source and the compilation with that source added.</summary>
internal sealed record GeneratorOutcome(GeneratorDriverRunResult Run, Compilation Output)
{
    public ImmutableArray<Diagnostic> Diagnostics => Run.Diagnostics;

    public string GeneratedSource => Assert.Single(Run.GeneratedTrees).ToString();

    public IEnumerable<Diagnostic> CompilationErrors => Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error);
}

/// <summary>A diagnostic as the build prints it: <c>file(line,column): error ID</c>, and its message.</summary>
internal sealed record Reported(string At, string Message)
{
    public static Reported From(Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetLineSpan();
        var where = diagnostic.Location == Location.None
            ? string.Empty
            : $"{Path.GetFileName(span.Path)}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): ";
        var severity = diagnostic.Severity.ToString().ToLowerInvariant();
        return new Reported($"{where}{severity} {diagnostic.Id}", diagnostic.GetMessage(CultureInfo.InvariantCulture));
    }
}
