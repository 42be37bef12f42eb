using Catalog.Cli.Catalogue;
using Catalog.Pricing.Export;

namespace Catalog.Cli.Commands;

/// <summary><c>catalog export --format csv</c>: the price list of the catalogue file, as the API's <c>/v1/models/export.csv</c> gives it.</summary>
internal static class ExportCommand
{
    public static readonly Command Command = new(
        "export",
        "--format csv [--file pricing.yaml] [--output models.csv]",
        "Writes every model and alias of the catalogue file (default ./pricing.yaml) with every price, its source and\n"
        + "      checked date as CSV (RFC 4180; a text cell starting with = + - @ gets a leading ' so a spreadsheet does not\n"
        + "      run it), to standard output or --output.",
        ["format", "file", "output"],
        [],
        Run);

    private static int Run(CliContext context, Arguments args)
    {
        args.NoMorePositionalsThan(0);
        var format = args.Value("format") ?? throw new UsageException("--format is required; the one format is csv");
        if (format != "csv")
        {
            throw new UsageException($"--format is '{format}'; the one format is csv");
        }

        var catalogue = CatalogueFile.Read(args.Value("file")).Load(context.Terminal.Err);
        if (catalogue is null)
        {
            return ExitCodes.CatalogueErrors;
        }

        var csv = PriceListCsv.Write(RuntimeCatalog.Engine(catalogue));
        if (args.Value("output") is { } output)
        {
            File.WriteAllText(output, csv);
            context.Terminal.Err.WriteLine($"wrote {output}");
        }
        else
        {
            context.Terminal.Out.Write(csv);
        }

        return ExitCodes.Ok;
    }
}
