using System.Text.Json;
using Catalog.Cli.Catalogue;
using Catalog.Cli.LiteLlm;
using Catalog.Pricing;

namespace Catalog.Cli.Commands;

/// <summary><c>catalog import litellm &lt;map.json&gt;</c>: adds the chat models LiteLLM prices and the catalogue lacks.</summary>
internal static class ImportCommand
{
    public static readonly Command Command = new(
        "import",
        "litellm <model_prices_and_context_window.json> [--file pricing.yaml] [--provider p] [--dry-run]\n"
        + "       catalog import genai-prices --file <data.json> [--catalogue pricing.yaml] [--provider p] [--leave-out provider/id,...] [--dry-run]",
        "Adds the models of LiteLLM's model map or of genai-prices' data.json that the catalogue does not price yet,\n"
        + "      in USD per million tokens (input, output, cache read and write, tiers; genai-prices also start-date\n"
        + "      history, per-request prices, match names and prefixes, and providers the catalogue lacks), in id order,\n"
        + "      without touching the rest of the file. A price the catalogue already has is never changed: genai-prices'\n"
        + "      differing prices are reported, and what the catalogue cannot state is listed. --provider takes a\n"
        + "      catalogue provider id; --leave-out names models not to add (catalogue names); --dry-run writes nothing.",
        ["file", "provider", "catalogue", "leave-out"],
        ["dry-run"],
        Run);

    private static int Run(CliContext context, Arguments args)
    {
        if (args.Positionals.Count > 0 && args.Positionals[0] == "genai-prices")
        {
            return GenAiPricesImportCommand.Run(context, args);
        }

        args.NoMorePositionalsThan(2);
        RequireLiteLlmSource(args);
        var mapPath = args.Positional(1, "the LiteLLM model map (model_prices_and_context_window.json)");
        var file = CatalogueFile.Read(args.Value("file"));
        var catalogue = file.Load(context.Terminal.Err);
        if (catalogue is null)
        {
            context.Terminal.Error($"fix {file.Label} before importing into it");
            return ExitCodes.CatalogueErrors;
        }

        var provider = Provider(args.Value("provider"), catalogue.Providers.Select(p => p.Id).ToList());
        using var map = JsonFile.Read(mapPath);
        var plan = LiteLlmImport.Plan(map.RootElement, catalogue, provider, context.Today);
        var terminal = context.Terminal;
        foreach (var problem in plan.Problems)
        {
            terminal.Warning(problem);
        }

        if (plan.Imported.Count > 0)
        {
            terminal.Table(
                $"Models to add ({plan.Imported.Count}: {string.Join(", ", plan.Imported.GroupBy(i => i.Model.Provider).Select(g => $"{g.Key} {g.Count()}"))})",
                ["model", "LiteLLM name", "prices (USD per million tokens)"],
                plan.Imported.Select(i => new[] { i.Model.FullName, i.Key, YamlText.Describe(i.Model.Prices) }).ToList());
        }

        if (plan.Skipped.Count > 0)
        {
            terminal.Table(
                $"Entries left out ({plan.Skipped.Values.Sum(k => k.Count)})",
                ["reason", "entries", "for example"],
                plan.Skipped.OrderByDescending(s => s.Value.Count).Select(s => new[] { s.Key, s.Value.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), string.Join(", ", s.Value.Take(3)) }).ToList());
        }

        if (plan.Imported.Count == 0)
        {
            terminal.Line($"Nothing to import: {file.Label} already prices every chat model LiteLLM lists for its providers.");
            return ExitCodes.Ok;
        }

        return CatalogueUpdate.Apply(file, plan.Imported.Select(i => i.Model).ToList(), [], terminal, write: !args.Flag("dry-run"));
    }

    /// <summary>The first argument names what to import from; LiteLLM is the one source so far.</summary>
    internal static void RequireLiteLlmSource(Arguments args)
    {
        var source = args.Positional(0, "the source: litellm");
        if (source != "litellm")
        {
            throw new UsageException($"'{source}' is not a source this tool knows; the one source is 'litellm'");
        }
    }

    private static string? Provider(string? provider, IReadOnlyList<string> known)
    {
        if (provider is null || known.Contains(provider))
        {
            return provider;
        }

        var mapped = LiteLlmProviders.Map(provider);
        if (mapped is not null && known.Contains(mapped))
        {
            return mapped;
        }

        var nearest = NameSuggestions.Nearest(provider, known);
        throw new UsageException($"--provider '{provider}' is not a provider of the catalogue{(nearest is null ? string.Empty : $"; did you mean '{nearest}'?")} (providers: {string.Join(", ", known)})");
    }
}
