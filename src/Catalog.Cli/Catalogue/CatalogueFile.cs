using Catalog.Catalogue.Model;
using Catalog.Catalogue.Parsing;

namespace Catalog.Cli.Catalogue;

/// <summary>Catalogue text and the name its problems are reported under (a path, or 'rev:path' from git).</summary>
internal sealed record CatalogueFile(string Label, string Text)
{
    public const string DefaultPath = "pricing.yaml";

    public static CatalogueFile Read(string? path)
    {
        path ??= DefaultPath;
        if (!File.Exists(path))
        {
            throw new CliException(path == DefaultPath
                ? $"there is no {DefaultPath} in {Directory.GetCurrentDirectory()}; run from the repository root or pass the catalogue's path"
                : $"cannot read '{path}': the file does not exist");
        }

        return new CatalogueFile(path, File.ReadAllText(path));
    }

    public ParseResult Parse() => CatalogParser.Parse(Label, Text);

    /// <summary>Parses and reports every problem the way the build does; null when there was one.</summary>
    public CatalogDoc? Load(TextWriter errors)
    {
        var result = Parse();
        Report(result, errors);
        return result.Catalog;
    }

    public void Report(ParseResult result, TextWriter errors)
    {
        foreach (var problem in result.Problems)
        {
            errors.WriteLine(Format(problem));
        }
    }

    /// <summary>The compiler's format: <c>path(line,col): error PRICE007: message</c>.</summary>
    public string Format(CatalogProblem problem)
    {
        var where = problem.Location is { } at ? $"{at.FilePath}({at.Line},{at.Column})" : Label;
        return $"{where}: error {problem.Id}: {problem.Message}";
    }
}
