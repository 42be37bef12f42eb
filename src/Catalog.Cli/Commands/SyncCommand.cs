using System.Globalization;
using Catalog.Cli.Catalogue;
using Catalog.Cli.LiteLlm;

namespace Catalog.Cli.Commands;

/// <summary><c>catalog sync litellm --url &lt;proxy&gt;</c>: aliases (and models) for every name a LiteLLM proxy serves.</summary>
internal static class SyncCommand
{
    public const string KeyVariable = "LITELLM_API_KEY";

    public static readonly Command Command = new(
        "sync",
        "litellm --url <proxy> [--key k] [--file pricing.yaml] [--write] [--timeout seconds]",
        "Reads the proxy's GET /model/info and proposes an alias for each served name the catalogue does not price:\n"
        + "      to the underlying model when the catalogue prices it, else to a new model with the proxy's prices, or\n"
        + "      the fallback prices marked needs_review. --write adds them. The key defaults to $" + KeyVariable + ".",
        ["url", "key", "file", "timeout"],
        ["write"],
        Run);

    private static int Run(CliContext context, Arguments args)
    {
        args.NoMorePositionalsThan(1);
        ImportCommand.RequireLiteLlmSource(args);
        var url = args.Value("url") ?? throw new UsageException("--url is required: the LiteLLM proxy's address, such as http://localhost:4000");
        var key = args.Value("key") ?? Environment.GetEnvironmentVariable(KeyVariable);
        var timeout = Timeout(args.Value("timeout"));
        var file = CatalogueFile.Read(args.Value("file"));
        var catalogue = file.Load(context.Terminal.Err);
        if (catalogue is null)
        {
            context.Terminal.Error($"fix {file.Label} before syncing into it");
            return ExitCodes.CatalogueErrors;
        }

        var terminal = context.Terminal;
        using var answer = terminal.Progress($"Reading {url}/model/info", () => LiteLlmProxy.ModelInfo(url, key, timeout)).GetAwaiter().GetResult();
        var plan = LiteLlmSync.Plan(answer.RootElement, catalogue, url, context.Today);
        foreach (var problem in plan.Problems)
        {
            terminal.Warning(problem);
        }

        terminal.Table($"Served by {url} ({plan.Rows.Count} names)", ["served name", "underlying model", "action", "detail"], plan.Rows.Select(r => new[] { r.ServedName, r.Underlying, r.Action, r.Detail }).ToList());
        if (plan.IsEmpty)
        {
            terminal.Line($"Nothing to add: {file.Label} prices every name the proxy serves.");
            return ExitCodes.Ok;
        }

        var write = args.Flag("write");
        if (!write)
        {
            terminal.Line();
            terminal.Line("Proposed additions (run again with --write to add them):");
            foreach (var model in plan.Models)
            {
                terminal.Line($"# providers/{model.Provider}/models:");
                Print(terminal, model.ToYaml());
            }

            if (plan.Aliases.Count > 0)
            {
                terminal.Line("# aliases:");
                foreach (var alias in plan.Aliases)
                {
                    Print(terminal, alias.ToYaml());
                }
            }
        }

        return CatalogueUpdate.Apply(file, plan.Models, plan.Aliases, terminal, write);
    }

    private static void Print(Output.Terminal terminal, IReadOnlyList<string> lines)
    {
        foreach (var line in lines)
        {
            terminal.Line("  " + line);
        }
    }

    private static TimeSpan Timeout(string? seconds)
    {
        if (seconds is null)
        {
            return TimeSpan.FromSeconds(30);
        }

        return int.TryParse(seconds, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is > 0 and <= 600
            ? TimeSpan.FromSeconds(value)
            : throw new UsageException($"--timeout is a number of seconds from 1 to 600, not '{seconds}'");
    }
}
