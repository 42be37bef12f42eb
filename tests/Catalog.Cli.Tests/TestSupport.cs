using Catalog.Cli.Output;

namespace Catalog.Cli.Tests;

/// <summary>Runs the tool in-process with captured, plain output.</summary>
internal static class Cli
{
    public static readonly DateOnly Today = new(2026, 11, 28);

    public static Result Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = CliApp.Run(args, new CliContext(new Terminal(output, error, rich: false), new FixedClock(Today)));
        return new Result(code, output.ToString(), error.ToString());
    }

    public sealed record Result(int Code, string Out, string Err);

    private sealed class FixedClock(DateOnly today) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(today.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);
    }
}

internal static class Fixtures
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    /// <summary>The repository's pricing.yaml, copied beside the tests by the project file.</summary>
    public static string PricingYaml => Path.Combine(Directory, "pricing.yaml");

    public static string LiteLlmMap => Path.Combine(Directory, "litellm", "model_prices_and_context_window.json");

    public static string ModelInfo => Path.Combine(Directory, "litellm", "model_info.json");

    /// <summary>A small catalogue with the shapes the editor meets: a commented entry, trailing comments, an empty list.</summary>
    public const string Small = """
        # yaml-language-server: $schema=./pricing.schema.json
        schema: 1
        assumptions:
          typical_input_tokens: 1000
          typical_output_tokens: 500
        fallback:
          input_mtok: 1
          output_mtok: 1
        providers:
          - id: acme
            name: Acme
            models:
              # the flagship
              - id: acme-large
                source: https://acme.example/pricing
                checked: 2026-01-01
                prices: { input_mtok: 3, output_mtok: 15 }   # list price

              - id: acme-small
                source: https://acme.example/pricing
                checked: 2026-01-01
                prices: { input_mtok: 0.5, output_mtok: 1.5 }

          - id: other
            name: Other
            models: []   # none yet
        aliases:
          - name: bot
            target: acme/acme-large

        """;
}

/// <summary>Catalogue texts built for a test.</summary>
internal static class Catalogues
{
    /// <summary>The providers LiteLLM's map has counterparts for, without models: every chat model of theirs is missing.</summary>
    public static string ProvidersOnly { get; } = """
        schema: 1
        assumptions: { typical_input_tokens: 1000, typical_output_tokens: 500 }
        fallback: { input_mtok: 1, output_mtok: 1 }
        providers:
        """ + "\n" + string.Concat(new[] { "anthropic", "deepseek", "google", "groq", "mistral", "openai", "xai" }.Select(id => $"  - id: {id}\n    name: {id}\n    models: []\n"));
}

/// <summary>A directory removed after the test.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => System.IO.Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "catalog-cli-" + Guid.NewGuid().ToString("N"));

    public string Write(string name, string text)
    {
        var path = System.IO.Path.Combine(Path, name);
        File.WriteAllText(path, text);
        return path;
    }

    public string Copy(string source, string? name = null) => Write(name ?? System.IO.Path.GetFileName(source), File.ReadAllText(source));

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary directory is harmless.
        }
    }
}
