using System.Globalization;
using Catalog.Cli.Catalogue;
using Catalog.Catalogue.Parsing;
using Catalog.Pricing;

namespace Catalog.Cli.Commands;

/// <summary><c>catalog price &lt;model&gt;</c>: one price from the catalogue file, with how the name was resolved.</summary>
internal static class PriceCommand
{
    /// <summary>The option of each count beyond the text-era ones.</summary>
    private static readonly (string Option, UsageUnit Unit)[] MediaOptions =
    [
        ("input-audio", UsageUnit.InputAudioTokens), ("cache-audio-read", UsageUnit.CacheAudioReadTokens),
        ("input-image", UsageUnit.InputImageTokens), ("cache-image-read", UsageUnit.CacheImageReadTokens),
        ("input-video", UsageUnit.InputVideoTokens), ("output-audio", UsageUnit.OutputAudioTokens),
        ("output-image", UsageUnit.OutputImageTokens), ("output-video", UsageUnit.OutputVideoTokens),
        ("reasoning", UsageUnit.OutputReasoningTokens), ("web-searches", UsageUnit.WebSearches),
    ];

    public static readonly Command Command = new(
        "price",
        "<model> [--input N] [--output N] [--cache-read N] [--cache-write N] [--cache-write-1h N] [--input-audio N] [--cache-audio-read N]\n"
        + "      [--input-image N] [--cache-image-read N] [--input-video N] [--output-audio N] [--output-image N] [--output-video N]\n"
        + "      [--reasoning N] [--web-searches N] [--service-tier t | --batch] [--region r] [--provider p] [--at YYYY-MM-DD] [--file pricing.yaml]",
        "Prices one request with the catalogue file (default ./pricing.yaml) and explains every resolution step.\n"
        + "      --input counts every prompt token, cached ones included; the --cache-* counts say how many of them\n"
        + "      were read from or written to the cache, and the --input-* counts how many were audio, image or video.\n"
        + "      --output counts every output token; --output-* and --reasoning say how many of them were audio, image,\n"
        + "      video or reasoning. --batch is --service-tier batch. Without token counts the catalogue's typical request is priced.",
        ["input", "output", "cache-read", "cache-write", "cache-write-1h", .. MediaOptions.Select(o => o.Option), "service-tier", "region", "provider", "at", "file"],
        ["batch"],
        Run);

    private static int Run(CliContext context, Arguments args)
    {
        args.NoMorePositionalsThan(1);
        var name = args.Positional(0, "<model>: the model name to price");
        var usage = Usage(args);
        var at = args.Value("at") is { } date
            ? DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                ? new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)
                : throw new UsageException($"--at must be a date written YYYY-MM-DD, not '{date}'")
            : context.Clock.GetUtcNow();

        var file = CatalogueFile.Read(args.Value("file"));
        var catalogue = file.Load(context.Terminal.Err);
        if (catalogue is null)
        {
            return ExitCodes.CatalogueErrors;
        }

        var engine = RuntimeCatalog.Engine(catalogue);
        var provider = args.Value("provider");
        var serviceTier = args.Value("service-tier");
        if (args.Flag("batch"))
        {
            serviceTier = serviceTier is null or "batch" ? "batch" : throw new UsageException($"--batch is --service-tier batch; it cannot be sent with --service-tier {serviceTier}");
        }

        var (_, steps) = engine.Explain(name, provider);
        var cost = engine.Price(name, provider, usage, at, serviceTier, args.Value("region"));
        var resolution = cost.Resolution;
        var terminal = context.Terminal;
        terminal.Line($"{name} -> {resolution.ResolvedModel ?? resolution.Source.ToWire()} ({resolution.Source.ToWire()})");
        foreach (var step in steps)
        {
            terminal.Line($"  {(step.Matched ? "matched" : "no     ")}  {step.Step} '{step.Tried}'{(step.Detail is null ? string.Empty : $": {step.Detail}")}");
        }

        foreach (var warning in resolution.Warnings)
        {
            terminal.Warning(warning);
        }

        terminal.Line($"prices: {Describe(cost.Prices)} (USD per million tokens, in force on {at:yyyy-MM-dd})");
        if (cost.Tier is { } tier)
        {
            terminal.Line($"tier: more than {tier} input tokens, so every token is charged at the tier's prices");
        }

        var u = cost.Usage;
        var tokens = cost.TokenSource == TokenSource.Estimated ? " (estimated: no token counts given, the catalogue's typical request)" : string.Empty;
        terminal.Line($"usage: {u.InputTokens} input tokens ({u.CacheReadTokens} cache read, {u.CacheWriteTokens} cache write), {u.OutputTokens} output tokens{tokens}");
        terminal.Table(null, ["part", "tokens", "USD"],
        [
            ["input", u.UncachedInputTokens.ToString(CultureInfo.InvariantCulture), Usd(cost.InputUsd)],
            ["output", u.OutputTokens.ToString(CultureInfo.InvariantCulture), Usd(cost.OutputUsd)],
            ["cache read", u.CacheReadTokens.ToString(CultureInfo.InvariantCulture), Usd(cost.CacheReadUsd)],
            ["cache write", u.CacheWriteTokens.ToString(CultureInfo.InvariantCulture), Usd(cost.CacheWriteUsd)],
            ["per request", string.Empty, Usd(cost.RequestUsd)],
            .. (cost.ToolsUsd == 0 ? Array.Empty<string[]>() : [["tools", u.WebSearches.ToString(CultureInfo.InvariantCulture), Usd(cost.ToolsUsd)]]),
            ["total", string.Empty, Usd(cost.TotalUsd)],
        ]);
        if (serviceTier is not null || cost.Region is not null || !u.IsTextOnly)
        {
            terminal.Line($"service tier: {cost.ServiceTier ?? "standard"}; region: {cost.Region ?? "none"}; every token charged once, at its most specific priced unit:");
            terminal.Table(null, ["unit", "count", "price key", "price", "USD"],
                [.. CostCalculator.Units(cost).Select(c => new[] { c.Name, c.Count.ToString(CultureInfo.InvariantCulture), c.PriceKey, Usd(c.Price), Usd(c.Usd) })]);
        }

        return ExitCodes.Ok;
    }

    /// <summary>The counts as canonical usage: --cache-write (5-minute writes) and --cache-write-1h are both cache writes.</summary>
    private static TokenUsage Usage(Arguments args)
    {
        var write1h = args.Count("cache-write-1h") ?? 0;
        var usage = new TokenUsage(
            args.Count("input") ?? 0,
            args.Count("output") ?? 0,
            args.Count("cache-read") ?? 0,
            (args.Count("cache-write") ?? 0) + write1h,
            write1h);
        if (usage.UncachedInputTokens < 0)
        {
            throw new UsageException($"the cache counts ({usage.InputTokens - usage.UncachedInputTokens}) exceed --input ({usage.InputTokens}); --input counts every prompt token, cached ones included");
        }

        foreach (var (option, unit) in MediaOptions)
        {
            usage = usage.With(unit, args.Count(option) ?? 0);
        }

        if (usage.Overflow() is { } overflow)
        {
            throw new UsageException(overflow.Describe(OptionOf) + "; --input and --output count every token, of every kind");
        }

        return usage;
    }

    private static string OptionOf(UsageUnit unit) => unit switch
    {
        UsageUnit.InputTokens => "--input",
        UsageUnit.OutputTokens => "--output",
        UsageUnit.CacheReadTokens => "--cache-read",
        UsageUnit.CacheWriteTokens => "--cache-write",
        UsageUnit.CacheWrite1hTokens => "--cache-write-1h",
        _ => "--" + Array.Find(MediaOptions, o => o.Unit == unit).Option,
    };

    private static string Describe(PriceSet p) => string.Join(
        "; ",
        [
            Fields(p.InputMtok, p.OutputMtok, p.CacheReadMtok, p.CacheWriteMtok, p.CacheWrite1hMtok),
            .. p.Tiers.Select(t => $"above {t.AboveInputTokens} input tokens: {Fields(t.InputMtok, t.OutputMtok, t.CacheReadMtok, t.CacheWriteMtok, t.CacheWrite1hMtok)}"),
        ]);

    /// <summary>Prices in the catalogue's field order, named as in pricing.yaml.</summary>
    private static string Fields(params decimal?[] values) =>
        string.Join(", ", values.Select((v, i) => v is null ? null : $"{CatalogKeys.PriceFields[i]} {YamlText.Number(v.Value)}").OfType<string>());

    private static string Usd(decimal value) => YamlText.Number(value);
}
