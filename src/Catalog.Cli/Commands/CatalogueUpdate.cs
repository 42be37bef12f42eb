using Catalog.Cli.Catalogue;
using Catalog.Cli.Output;

namespace Catalog.Cli.Commands;

/// <summary>Adds planned entries to the catalogue file as text, and writes it only when the result still parses cleanly.</summary>
internal static class CatalogueUpdate
{
    public static int Apply(CatalogueFile file, IReadOnlyList<NewModel> models, IReadOnlyList<NewAlias> aliases, Terminal terminal, bool write) =>
        Apply(file, [], models, aliases, terminal, write);

    public static int Apply(CatalogueFile file, IReadOnlyList<NewProvider> providers, IReadOnlyList<NewModel> models, IReadOnlyList<NewAlias> aliases, Terminal terminal, bool write)
    {
        var editor = new CatalogueEditor(file.Text);
        foreach (var provider in providers)
        {
            editor.AddProvider(provider.Id, provider.ToYaml());
        }

        foreach (var model in models)
        {
            editor.AddModel(model);
        }

        foreach (var alias in aliases)
        {
            editor.AddAlias(alias);
        }

        var edited = file with { Text = editor.EditedText() };
        var result = edited.Parse();
        if (result.HasErrors)
        {
            terminal.Error($"refusing to write {file.Label}: with these additions it would not build:");
            edited.Report(result, terminal.Err);
            return ExitCodes.CatalogueErrors;
        }

        var what = providers.Count == 0
            ? $"{models.Count} model(s) and {aliases.Count} alias(es)"
            : $"{providers.Count} provider(s), {models.Count + providers.Sum(p => p.Models.Count)} model(s) and {aliases.Count} alias(es)";
        if (!write)
        {
            terminal.Line($"{file.Label} not changed; {what} would be added.");
            return ExitCodes.Ok;
        }

        File.WriteAllText(file.Label, edited.Text);
        terminal.Line($"Added {what} to {file.Label}; it validates.");
        return ExitCodes.Ok;
    }
}
