using Catalog.Cli.Catalogue;

namespace Catalog.Cli.Commands;

/// <summary><c>catalog validate [file]</c>: the build's checks and messages, without a build.</summary>
internal static class ValidateCommand
{
    public static readonly Command Command = new(
        "validate",
        "[file]",
        "Checks the catalogue (default ./pricing.yaml) with the build's parser and prints its errors as the\n      build does: path(line,col): error PRICEnnn: message. Exit code 1 when there is an error.",
        [],
        [],
        Run);

    private static int Run(CliContext context, Arguments args)
    {
        args.NoMorePositionalsThan(1);
        var file = CatalogueFile.Read(args.Positionals.FirstOrDefault());
        var result = file.Parse();
        file.Report(result, context.Terminal.Err);
        if (result.Catalog is not { } catalogue)
        {
            context.Terminal.Err.WriteLine($"{file.Label}: {result.Problems.Count} error(s)");
            return ExitCodes.CatalogueErrors;
        }

        var models = catalogue.Providers.Sum(p => p.Models.Count);
        context.Terminal.Line($"{file.Label}: valid ({catalogue.Providers.Count} providers, {models} models, {catalogue.Aliases.Count} aliases, {catalogue.Instances.Count} instances, {catalogue.Endpoints.Count} endpoints)");
        return ExitCodes.Ok;
    }
}
