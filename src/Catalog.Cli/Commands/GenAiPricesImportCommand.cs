using System.Globalization;
using Catalog.Cli.Catalogue;
using Catalog.Cli.GenAiPrices;
using Catalog.Cli.Output;

namespace Catalog.Cli.Commands;

/// <summary><c>catalog import genai-prices --file data.json</c>: adds what genai-prices prices and the catalogue lacks; reports the rest.</summary>
internal static class GenAiPricesImportCommand
{
    public static int Run(CliContext context, Arguments args)
    {
        args.NoMorePositionalsThan(1);
        var dataPath = args.Value("file") ?? throw new UsageException("--file is required: genai-prices' data.json");
        var file = CatalogueFile.Read(args.Value("catalogue"));
        var catalogue = file.Load(context.Terminal.Err);
        if (catalogue is null)
        {
            context.Terminal.Error($"fix {file.Label} before importing into it");
            return ExitCodes.CatalogueErrors;
        }

        using var data = JsonFile.Read(dataPath);
        var leaveOut = args.Values("leave-out").SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToHashSet(StringComparer.Ordinal);
        var plan = GenAiPricesImport.Plan(data.RootElement, catalogue, args.Value("provider"), context.Today, leaveOut);
        Report(context.Terminal, plan);
        if (!plan.AllModels.Any())
        {
            context.Terminal.Line($"Nothing to import: {file.Label} already prices every model genai-prices lists for its providers.");
            return ExitCodes.Ok;
        }

        return CatalogueUpdate.Apply(file, plan.Providers, plan.Models, [], context.Terminal, write: !args.Flag("dry-run"));
    }

    private static void Report(Terminal terminal, GenAiPricesPlan plan)
    {
        foreach (var problem in plan.Problems)
        {
            terminal.Warning(problem);
        }

        var added = plan.AllModels.ToList();
        if (added.Count > 0)
        {
            terminal.Table(
                $"Models to add ({added.Count}: {string.Join(", ", added.GroupBy(m => m.Provider).Select(g => $"{g.Key} {g.Count()}"))}; new providers: {(plan.Providers.Count == 0 ? "none" : string.Join(", ", plan.Providers.Select(p => p.Id)))})",
                ["model", "prices (USD per million tokens)", "match"],
                added.Select(m => new[] { m.FullName, YamlText.Describe(m.Prices) + (m.History.Count > 0 ? $", {m.History.Count} earlier" : string.Empty) + (m.PerRequestUsd != 0 ? $", per request {YamlText.Number(m.PerRequestUsd)}" : string.Empty), Match(m) }).ToList());
        }

        terminal.Line($"Already in the catalogue: {plan.Compared} model(s), compared; the catalogue's prices are kept.");
        if (plan.Disagreements.Count > 0)
        {
            terminal.Table(
                $"Prices that disagree ({plan.Disagreements.Count}; not applied: check the provider's page and edit pricing.yaml)",
                ["model", "field", "catalogue", "genai-prices", "change"],
                plan.Disagreements.Select(d => new[] { d.Model, d.Field, Number(d.Ours), Number(d.Theirs), Percent(d.ChangePercent) }).ToList());
        }

        if (plan.Unexpressible.Count > 0)
        {
            terminal.Table(
                $"Prices the catalogue cannot state yet ({plan.Unexpressible.Count}; not imported)",
                ["model", "price"],
                plan.Unexpressible.Select(u => new[] { u.Model, u.What }).ToList());
        }

        if (plan.MatchRules.Count > 0)
        {
            terminal.Table(
                $"Match rules left out or narrowed ({plan.MatchRules.Count})",
                ["model", "rule"],
                plan.MatchRules.Select(u => new[] { u.Model, u.What }).ToList());
        }

        if (plan.Skipped.Count > 0)
        {
            terminal.Table(
                $"Models left out ({plan.Skipped.Values.Sum(k => k.Count)})",
                ["reason", "models", "for example"],
                plan.Skipped.OrderByDescending(s => s.Value.Count).Select(s => new[] { s.Key, s.Value.Count.ToString(CultureInfo.InvariantCulture), string.Join(", ", s.Value.Take(3)) }).ToList());
        }
    }

    private static string Match(NewModel model) =>
        string.Join(", ", model.MatchPrefixes.Select(p => p + "*").Concat(model.MatchNames));

    internal static string Number(decimal? value) => value is { } v ? YamlText.Number(v) : "-";

    internal static string Percent(decimal? value) => value switch
    {
        null => "-",
        0m => "0%",
        var v => (v > 0 ? "+" : string.Empty) + YamlText.Number(v.Value) + "%",
    };
}
