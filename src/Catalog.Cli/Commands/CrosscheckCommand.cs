using System.Globalization;
using System.Text;
using Catalog.Cli.Catalogue;
using Catalog.Cli.Crosscheck;

namespace Catalog.Cli.Commands;

/// <summary><c>catalog crosscheck --against litellm=&lt;file&gt; --against genai-prices=&lt;file&gt;</c>: the catalogue beside other price catalogues.</summary>
internal static class CrosscheckCommand
{
    public static readonly Command Command = new(
        "crosscheck",
        "--against litellm=<file> [--against genai-prices=<file>] [--catalogue pricing.yaml] [--format text|markdown] [--fail-over <percent>]",
        "For every model of the catalogue, each price it shares with a source and the difference in percent; the\n"
        + "      models a source has that the catalogue lacks, by provider; the models no source knows. Exit code 1 when\n"
        + "      a difference exceeds --fail-over percent. Sources: LiteLLM's model_prices_and_context_window.json and\n"
        + "      genai-prices' data.json.",
        ["against", "catalogue", "format", "fail-over"],
        [],
        Run);

    private static readonly string[] PriceHeaders = ["model", "source", "field", "catalogue", "source price", "difference"];

    private static int Run(CliContext context, Arguments args)
    {
        args.NoMorePositionalsThan(0);
        var format = args.Value("format") ?? "text";
        if (format is not ("text" or "markdown"))
        {
            throw new UsageException($"--format is text or markdown, not '{format}'");
        }

        decimal? failOver = null;
        if (args.Value("fail-over") is { } text)
        {
            failOver = decimal.TryParse(text.TrimEnd('%'), NumberStyles.Number, CultureInfo.InvariantCulture, out var percent) && percent >= 0
                ? percent
                : throw new UsageException($"--fail-over is a percentage such as 10, not '{text}'");
        }

        var against = args.Values("against");
        if (against.Count == 0)
        {
            throw new UsageException("--against is required: litellm=<model_prices_and_context_window.json> and/or genai-prices=<data.json>");
        }

        var sources = new List<PriceSource>();
        foreach (var spec in against)
        {
            var equals = spec.IndexOf('=');
            if (equals <= 0)
            {
                throw new UsageException($"--against takes <source>=<file> (litellm=... or genai-prices=...), not '{spec}'");
            }

            using var json = JsonFile.Read(spec[(equals + 1)..]);
            sources.Add(PriceSource.Read(spec[..equals], json.RootElement));
        }

        var file = CatalogueFile.Read(args.Value("catalogue"));
        var catalogue = file.Load(context.Terminal.Err);
        if (catalogue is null)
        {
            return ExitCodes.CatalogueErrors;
        }

        var report = CrosscheckReport.Build(RuntimeCatalog.Engine(catalogue), sources);
        var over = failOver is { } limit ? report.Over(limit).ToList() : [];
        var sections = Sections(report, sources, failOver, over).ToList();
        if (format == "markdown")
        {
            context.Terminal.Out.Write(Markdown(file.Label, sections));
        }
        else
        {
            foreach (var (title, headers, rows) in sections)
            {
                context.Terminal.Table(title, headers, rows);
                context.Terminal.Line();
            }
        }

        if (over.Count > 0)
        {
            context.Terminal.Error($"{over.Count} price(s) differ from a source by more than {YamlText.Number(failOver!.Value)}%");
            return ExitCodes.CatalogueErrors;
        }

        return ExitCodes.Ok;
    }

    private static IEnumerable<(string Title, string[] Headers, List<IReadOnlyList<string>> Rows)> Sections(CrosscheckReport report, List<PriceSource> sources, decimal? failOver, List<PriceDisagreement> over)
    {
        var differing = report.Shared.Count(d => d.Ours != d.Theirs);
        var limit = failOver is null ? string.Empty : $"; {over.Count} over {YamlText.Number(failOver.Value)}%";
        yield return (
            $"Prices shared with a source ({report.Shared.Count} in {report.ModelCount} models, {differing} differ{limit}; largest difference first)",
            PriceHeaders,
            report.Shared
                .OrderByDescending(d => d.ChangePercent is { } c ? Math.Abs(c) : decimal.MaxValue)
                .ThenBy(d => d.Model, StringComparer.Ordinal)
                .Select(d => (IReadOnlyList<string>)[d.Model, d.SourceName, d.Field, GenAiPricesImportCommand.Number(d.Ours), GenAiPricesImportCommand.Number(d.Theirs), GenAiPricesImportCommand.Percent(d.ChangePercent)])
                .ToList());

        foreach (var source in sources)
        {
            var missing = report.Missing[source.Name];
            yield return (
                $"Models {source.Name} has that the catalogue lacks ({missing.Values.Sum(n => n.Count)}, by provider)",
                ["provider", "models", "names"],
                missing.Select(p => (IReadOnlyList<string>)[p.Key, p.Value.Count.ToString(CultureInfo.InvariantCulture), string.Join(", ", p.Value)]).ToList());
        }

        yield return (
            $"Models no source knows ({report.Unknown.Count})",
            ["provider", "models", "names"],
            report.Unknown.GroupBy(n => n[..n.IndexOf('/')]).Select(g => (IReadOnlyList<string>)[g.Key, g.Count().ToString(CultureInfo.InvariantCulture), string.Join(", ", g.Select(n => n[(n.IndexOf('/') + 1)..]))]).ToList());
    }

    private static string Markdown(string label, IEnumerable<(string Title, string[] Headers, List<IReadOnlyList<string>> Rows)> sections)
    {
        var md = new StringBuilder();
        md.AppendLine($"### Crosscheck of `{label}`");
        md.AppendLine();
        foreach (var (title, headers, rows) in sections)
        {
            md.AppendLine($"**{title}**");
            md.AppendLine();
            if (rows.Count == 0)
            {
                md.AppendLine("None.");
                md.AppendLine();
                continue;
            }

            md.AppendLine("| " + string.Join(" | ", headers) + " |");
            md.AppendLine("|" + string.Concat(headers.Select(_ => "---|")));
            foreach (var row in rows)
            {
                md.AppendLine("| " + string.Join(" | ", row.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal))) + " |");
            }

            md.AppendLine();
        }

        return md.ToString();
    }
}
