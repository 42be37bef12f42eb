using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Catalog.Generator.Tests.Support;

/// <summary>An AdditionalFiles item as the compiler hands it to the generator, with its CatalogRole metadata.</summary>
internal sealed class CatalogueFile(string path, string? text, string? role = "pricing") : AdditionalText
{
    public override string Path { get; } = path;

    public string? Role { get; } = role;

    public string? Text { get; } = text;

    public static CatalogueFile Read(string path) => new(path, File.ReadAllText(path));

    public CatalogueFile WithText(string newText) => new(Path, newText, Role);

    public override SourceText? GetText(CancellationToken cancellationToken = default) =>
        Text is null ? null : SourceText.From(Text);
}

/// <summary>Answers build_metadata.AdditionalFiles.CatalogRole the way the SDK does for CompilerVisibleItemMetadata.</summary>
internal sealed class CatalogueRoleOptionsProvider : AnalyzerConfigOptionsProvider
{
    public override AnalyzerConfigOptions GlobalOptions => RoleOptions.None;

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => RoleOptions.None;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) =>
        textFile is CatalogueFile { Role: { } role } ? new RoleOptions(role) : RoleOptions.None;

    private sealed class RoleOptions(string? role) : AnalyzerConfigOptions
    {
        public static readonly RoleOptions None = new(null);

        public override IEnumerable<string> Keys =>
            role is null ? ImmutableArray<string>.Empty : [PricingCatalogGenerator.RoleMetadata];

        public override bool TryGetValue(string key, out string value)
        {
            value = role ?? string.Empty;
            return role != null && key == PricingCatalogGenerator.RoleMetadata;
        }
    }
}
