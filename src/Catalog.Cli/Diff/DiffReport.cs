using System.Text;
using Catalog.Cli.Catalogue;
using Catalog.Cli.Output;
using Catalog.Catalogue.Model;

namespace Catalog.Cli.Diff;

/// <summary>A <see cref="CatalogDiff"/> for a terminal (plain or drawn) or as Markdown for a pull-request comment.</summary>
internal static class DiffReport
{
    /// <summary>The first line of the Markdown report, so a workflow can find and update its own comment.</summary>
    public const string MarkdownMarker = "<!-- catalog-diff -->";

    private static readonly string[] PriceHeaders = ["entry", "field", "old", "new", "change"];

    public static void Write(CatalogDiff diff, string oldLabel, string newLabel, Terminal terminal)
    {
        terminal.Line($"Catalogue changes: {oldLabel} -> {newLabel}");
        if (diff.IsEmpty)
        {
            terminal.Line("No model, alias or price changes.");
            return;
        }

        foreach (var (title, items) in Sections(diff))
        {
            terminal.Line();
            terminal.Line(title);
            foreach (var item in items)
            {
                terminal.Line($"  {item.Marker} {item.Name}{item.Detail}");
            }
        }

        if (diff.PriceChanges.Count > 0)
        {
            terminal.Line();
            terminal.Table(PriceTitle(diff), PriceHeaders, diff.PriceChanges.Select(c => Row(c, "!! over 50%")).ToList());
        }
    }

    public static string Markdown(CatalogDiff diff, string oldLabel, string newLabel)
    {
        var md = new StringBuilder();
        md.AppendLine(MarkdownMarker);
        md.AppendLine($"### Catalogue changes: `{oldLabel}` → `{newLabel}`");
        md.AppendLine();
        if (diff.IsEmpty)
        {
            md.AppendLine("No model, alias or price changes.");
            return md.ToString();
        }

        foreach (var (title, items) in Sections(diff))
        {
            md.AppendLine($"**{title}**");
            md.AppendLine();
            foreach (var item in items)
            {
                md.AppendLine($"- `{item.Name}`{item.Detail.Replace(" -> ", " → ", StringComparison.Ordinal)}");
            }

            md.AppendLine();
        }

        if (diff.PriceChanges.Count > 0)
        {
            md.AppendLine($"**{PriceTitle(diff)}**");
            md.AppendLine();
            md.AppendLine("| " + string.Join(" | ", PriceHeaders) + " |");
            md.AppendLine("|---|---|---:|---:|---:|");
            foreach (var change in diff.PriceChanges)
            {
                var cells = Row(change, "⚠️ over 50%");
                cells[0] = $"`{cells[0]}`";
                md.AppendLine("| " + string.Join(" | ", cells) + " |");
            }
        }

        return md.ToString();
    }

    private static IEnumerable<(string Title, List<Item> Items)> Sections(CatalogDiff diff)
    {
        (string, List<Item>)[] sections =
        [
            ($"Models added ({diff.AddedModels.Count})", diff.AddedModels.Select(m => new Item("+", m.FullName, PricesOf(m))).ToList()),
            ($"Models removed ({diff.RemovedModels.Count})", diff.RemovedModels.Select(m => new Item("-", m.FullName, PricesOf(m))).ToList()),
            ($"Models renamed? ({diff.RenamedModels.Count})", diff.RenamedModels.Select(r => new Item("~", r.Old.FullName, $" -> {r.New.FullName} (same prices, similar id: renamed?)")).ToList()),
            ($"Aliases added ({diff.AddedAliases.Count})", diff.AddedAliases.Select(a => new Item("+", a.Name, " -> " + a.Target)).ToList()),
            ($"Aliases removed ({diff.RemovedAliases.Count})", diff.RemovedAliases.Select(a => new Item("-", a.Name, " (was -> " + a.Target + ")")).ToList()),
            ($"Aliases renamed? ({diff.RenamedAliases.Count})", diff.RenamedAliases.Select(r => new Item("~", r.Old.Name, $" -> {r.New.Name} (same target and prices, similar name: renamed?)")).ToList()),
            ($"Aliases retargeted ({diff.RetargetedAliases.Count})", diff.RetargetedAliases.Select(a => new Item("~", a.Name, $" {a.OldTarget} -> {a.NewTarget}")).ToList()),
        ];
        return sections.Where(s => s.Item2.Count > 0);
    }

    private static string PriceTitle(CatalogDiff diff)
    {
        var flagged = diff.PriceChanges.Count(c => c.Flagged);
        return $"Price changes ({diff.PriceChanges.Count}{(flagged > 0 ? $", {flagged} over 50%" : string.Empty)})";
    }

    private static string[] Row(PriceChange change, string flag) =>
        [change.Entry, change.Field, Number(change.Old), Number(change.New), change.Flagged ? $"{change.Change} {flag}" : change.Change];

    private static string PricesOf(ModelDoc model) =>
        model.Prices is null ? " (provider default prices)" : $" ({YamlText.Describe(model.Prices)})";

    private static string Number(decimal? value) => value is { } v ? YamlText.Number(v) : "-";

    private sealed record Item(string Marker, string Name, string Detail);
}
