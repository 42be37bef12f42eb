using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Catalog.Cli.Catalogue;

/// <summary>
/// Adds models and aliases to pricing.yaml as text, so every comment, blank line and hand-made
/// alignment stays as it was. YAML node positions say where a list is and where each entry's text
/// ends; new entries go in id order, with the list's own indentation. The caller re-parses the result.
/// </summary>
internal sealed class CatalogueEditor
{
    private readonly string _newline;
    private readonly bool _endsWithNewline;
    private readonly List<string> _lines;
    private readonly YamlMappingNode _root;
    private readonly List<Insertion> _insertions = [];
    private readonly HashSet<int> _emptiedLists = [];

    public CatalogueEditor(string text)
    {
        _newline = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        _endsWithNewline = text.EndsWith('\n');
        _lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (_endsWithNewline)
        {
            _lines.RemoveAt(_lines.Count - 1);
        }

        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        _root = (YamlMappingNode)stream.Documents[0].RootNode;
    }

    public void AddModel(NewModel model)
    {
        var provider = Items(_root, "providers").FirstOrDefault(p => Scalar(p, "id") == model.Provider)
            ?? throw new CliException($"provider '{model.Provider}' is not in the catalogue; add it to 'providers' first");
        Add(provider, "models", "id", model.Id, model.ToYaml(), newSectionAfter: null);
    }

    /// <summary>A provider the catalogue lacks, with its models: after the last provider, as the providers are not sorted.</summary>
    public void AddProvider(string id, IReadOnlyList<string> entry)
    {
        var providers = Items(_root, "providers").ToList();
        if (providers.Count == 0)
        {
            throw new CliException("the catalogue has no providers to add a provider after");
        }

        // In the order they were added, after any model added to the last provider.
        _insertions.Add(new Insertion(ContentEnd(providers[^1]) + 1, Placement.AfterEverything, $"{_insertions.Count:D6} {id}", DashColumn(providers[^1]), entry));
    }

    public void AddAlias(NewAlias alias) =>
        Add(_root, "aliases", "name", alias.Name, alias.ToYaml(), newSectionAfter: "providers");

    /// <summary>The edited text, line endings as in the original.</summary>
    public string EditedText()
    {
        var lines = new List<string>(_lines);
        foreach (var group in _insertions.GroupBy(i => (i.Line, i.Placement)).OrderByDescending(g => g.Key.Line).ThenByDescending(g => g.Key.Placement))
        {
            var placement = group.Key.Placement;
            var entries = group.OrderBy(i => i.SortKey, StringComparer.Ordinal).ToList();
            var text = new List<string>();
            foreach (var entry in entries)
            {
                // Entries are set apart by a blank line, as in the hand-written file.
                if (placement is Placement.After or Placement.AfterEverything || (placement != Placement.Before && text.Count > 0))
                {
                    text.Add(string.Empty);
                }

                text.AddRange(entry.Lines.Select(l => l.Length == 0 ? l : new string(' ', entry.Indent) + l));
                if (placement == Placement.Before)
                {
                    text.Add(string.Empty);
                }
            }

            if (placement == Placement.NewSection)
            {
                text.InsertRange(0, [string.Empty, entries[0].Header!]);
            }

            lines.InsertRange(group.Key.Line, text);
        }

        var result = string.Join(_newline, lines);
        return _endsWithNewline ? result + _newline : result;
    }

    private void Add(YamlMappingNode parent, string listKey, string idKey, string id, IReadOnlyList<string> entry, string? newSectionAfter)
    {
        var key = parent.Children.Keys.OfType<YamlScalarNode>().FirstOrDefault(k => k.Value == listKey);
        if (key is null)
        {
            // No such list yet: open the section after the one named (the aliases after the providers).
            var after = parent.Children[new YamlScalarNode(newSectionAfter ?? throw new CliException($"the catalogue has no '{listKey}' list"))];
            _insertions.Add(new Insertion(ContentEnd(after) + 1, Placement.NewSection, id, 2, entry, listKey + ":"));
            return;
        }

        var list = parent.Children[key];
        var items = (list as YamlSequenceNode)?.Children.OfType<YamlMappingNode>().ToList() ?? [];
        if (items.Count == 0)
        {
            EmptyList(key, list);
            _insertions.Add(new Insertion(Line(key.Start), Placement.First, id, (int)key.Start.Column - 1 + 2, entry));
            return;
        }

        if (((YamlSequenceNode)list).Style == SequenceStyle.Flow)
        {
            throw new CliException($"'{listKey}' at line {key.Start.Line} is written as a flow list [...]; write it as a block list ('- ' items) so entries can be added");
        }

        var indent = DashColumn(items[0]);
        var next = items.FirstOrDefault(item => string.CompareOrdinal(Scalar(item, idKey), id) > 0);
        _insertions.Add(next is null
            ? new Insertion(ContentEnd(items[^1]) + 1, Placement.After, id, indent, entry)
            : new Insertion(LeadingStart(next, indent), Placement.Before, id, indent, entry));
    }

    /// <summary>`models: []` or an empty `aliases:`: drops the `[]` so items can follow the key.</summary>
    private void EmptyList(YamlScalarNode key, YamlNode list)
    {
        var line = Line(key.Start) - 1;
        if (list is YamlSequenceNode { Style: SequenceStyle.Flow } && _emptiedLists.Add(line))
        {
            // An empty flow list's node ends where it starts: find its ']' in the text.
            var text = _lines[line];
            var open = (int)list.Start.Column - 1;
            var close = text.IndexOf(']', open);
            _lines[line] = (text[..open].TrimEnd() + " " + text[(close + 1)..].TrimStart()).TrimEnd();
        }
    }

    /// <summary>The first line of an item: its '- ' line, or the comments right above it that belong to it.</summary>
    private int LeadingStart(YamlMappingNode item, int indent)
    {
        var line = Line(item.Start) - 1;
        while (line > 0 && _lines[line - 1].TrimStart().StartsWith('#') && Indentation(_lines[line - 1]) == indent)
        {
            line--;
        }

        return line;
    }

    private int DashColumn(YamlMappingNode item)
    {
        var text = _lines[Line(item.Start) - 1];
        var dash = text.LastIndexOf('-', (int)item.Start.Column - 1);
        return dash >= 0 ? dash : Indentation(text);
    }

    /// <summary>
    /// The last line holding text of <paramref name="node"/> (0-based). Collections do not record where
    /// their text ends (a block one ends where the next token starts), so their last scalar decides.
    /// </summary>
    private static int ContentEnd(YamlNode node) => node switch
    {
        YamlMappingNode { Children.Count: > 0 } map => map.Children.Max(c => Math.Max(ContentEnd(c.Key), ContentEnd(c.Value))),
        YamlSequenceNode { Children.Count: > 0 } seq => seq.Children.Max(ContentEnd),
        YamlScalarNode when node.End.Column <= 1 && node.End.Line > node.Start.Line => Line(node.End) - 2,
        YamlScalarNode => Line(node.End) - 1,
        _ => Line(node.Start) - 1,
    };

    private static int Line(Mark mark) => (int)mark.Line;

    private static int Indentation(string line) => line.Length - line.TrimStart(' ').Length;

    private static IEnumerable<YamlMappingNode> Items(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlSequenceNode seq
            ? seq.Children.OfType<YamlMappingNode>()
            : [];

    private static string? Scalar(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? (node as YamlScalarNode)?.Value : null;

    /// <summary>
    /// Where text goes relative to existing entries: before one, after the last, as the first of an empty list,
    /// after the entries added to the list it follows (a new provider), or in a new section. Insertions at one line
    /// are made from the highest placement down, so a higher one ends up below.
    /// </summary>
    private enum Placement
    {
        Before,
        After,
        First,
        AfterEverything,
        NewSection,
    }

    private sealed record Insertion(int Line, Placement Placement, string SortKey, int Indent, IReadOnlyList<string> Lines, string? Header = null);
}
