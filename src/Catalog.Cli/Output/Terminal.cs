using Spectre.Console;
using Spectre.Console.Rendering;

namespace Catalog.Cli.Output;

/// <summary>
/// Where a command writes. On a terminal tables and progress are drawn with Spectre.Console; when
/// the output is piped or captured (tests, CI, hooks) the same content is written as plain text.
/// </summary>
internal sealed class Terminal
{
    private readonly Lazy<IAnsiConsole>? _rich;

    public Terminal(TextWriter output, TextWriter error, bool rich)
    {
        Out = output;
        Err = error;
        _rich = rich ? new Lazy<IAnsiConsole>(() => AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) })) : null;
    }

    public TextWriter Out { get; }

    public TextWriter Err { get; }

    public bool IsRich => _rich is not null;

    public void Line(string text = "") => Out.WriteLine(text);

    public void Error(string message) => Err.WriteLine("error: " + message);

    public void Warning(string message) => Err.WriteLine("warning: " + message);

    /// <summary>A table: boxed on a terminal, aligned columns when plain.</summary>
    public void Table(string? title, IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        if (_rich is not null)
        {
            var table = new Table().Border(TableBorder.Rounded);
            if (title is not null)
            {
                table.Title(Markup.Escape(title));
            }

            foreach (var header in headers)
            {
                table.AddColumn(new TableColumn(new Text(header, new Style(decoration: Decoration.Bold))));
            }

            foreach (var row in rows)
            {
                table.AddRow(row.Select(cell => (IRenderable)new Text(cell)).ToArray());
            }

            _rich.Value.Write(table);
            return;
        }

        if (title is not null)
        {
            Out.WriteLine(title);
        }

        var widths = headers.Select((h, i) => rows.Select(r => i < r.Count ? r[i].Length : 0).Append(h.Length).Max()).ToArray();
        Out.WriteLine(Row(headers, widths));
        Out.WriteLine(Row(widths.Select(w => new string('-', w)).ToArray(), widths));
        foreach (var row in rows)
        {
            Out.WriteLine(Row(row, widths));
        }
    }

    /// <summary>Runs <paramref name="work"/> under a spinner on a terminal; plainly otherwise.</summary>
    public async Task<T> Progress<T>(string message, Func<Task<T>> work)
    {
        if (_rich is null)
        {
            return await work();
        }

        return await _rich.Value.Status().StartAsync(message, _ => work());
    }

    private static string Row(IReadOnlyList<string> cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => i == cells.Count - 1 ? c : c.PadRight(widths[i]))).TrimEnd();
}
