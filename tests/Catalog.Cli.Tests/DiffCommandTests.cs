using System.Diagnostics;

namespace Catalog.Cli.Tests;

public sealed class DiffCommandTests
{
    /// <summary>Small, changed: acme-large up 33%, acme-small renamed, a model and an alias added, the alias retargeted, a price doubled.</summary>
    private static readonly string Changed = Fixtures.Small
        .Replace("prices: { input_mtok: 3, output_mtok: 15 }", "prices: { input_mtok: 4, output_mtok: 15, cache_read_mtok: 0.4 }")
        .Replace("- id: acme-small", "- id: acme-smol")
        .Replace("models: []   # none yet", """
            models:
                  - id: other-one
                    source: https://other.example
                    checked: 2026-11-01
                    prices: { input_mtok: 1, output_mtok: 2 }
            """)
        .Replace("target: acme/acme-large", """
            target: acme/acme-smol
              - name: helper
                target: other/other-one
            """)
        .Replace("fallback:\n  input_mtok: 1", "fallback:\n  input_mtok: 2");

    [Fact]
    public void Lists_added_renamed_retargeted_and_every_price_change_with_percent()
    {
        var result = Diff(Changed);

        Assert.True(result.Code == 0, result.Err);
        Assert.Contains("Models added (1)\n  + other/other-one (input_mtok 1, output_mtok 2)", result.Out);
        Assert.Contains("Models renamed? (1)\n  ~ acme/acme-small -> acme/acme-smol (same prices, similar id: renamed?)", result.Out);
        Assert.DoesNotContain("Models removed", result.Out);
        Assert.Contains("Aliases added (1)\n  + helper -> other/other-one", result.Out);
        Assert.Contains("Aliases retargeted (1)\n  ~ bot acme/acme-large -> acme/acme-smol", result.Out);
        Assert.Contains("Price changes (3, 1 over 50%)", result.Out);
        Assert.Matches(@"fallback\s+input_mtok\s+1\s+2\s+\+100% !! over 50%", result.Out);
        Assert.Matches(@"acme/acme-large\s+input_mtok\s+3\s+4\s+\+33\.3%\n", result.Out);
        Assert.Matches(@"acme/acme-large\s+cache_read_mtok\s+-\s+0\.4\s+added", result.Out);
    }

    [Fact]
    public void Markdown_is_a_pull_request_comment_with_a_marker_and_a_table()
    {
        var result = Diff(Changed, "--format", "markdown");

        Assert.Equal(0, result.Code);
        Assert.StartsWith("<!-- catalog-diff -->\n### Catalogue changes:", result.Out.Replace("\r\n", "\n"));
        Assert.Contains("**Models added (1)**\n\n- `other/other-one` (input_mtok 1, output_mtok 2)", result.Out.Replace("\r\n", "\n"));
        Assert.Contains("- `acme/acme-small` → acme/acme-smol (same prices, similar id: renamed?)", result.Out);
        Assert.Contains("| entry | field | old | new | change |", result.Out);
        Assert.Contains("| `fallback` | input_mtok | 1 | 2 | +100% ⚠️ over 50% |", result.Out);
        Assert.Contains("| `acme/acme-large` | input_mtok | 3 | 4 | +33.3% |", result.Out);
    }

    [Fact]
    public void Identical_catalogues_have_no_changes()
    {
        var result = Cli.Run("diff", Fixtures.PricingYaml, Fixtures.PricingYaml);

        Assert.Equal(0, result.Code);
        Assert.Contains("No model, alias or price changes.", result.Out);
    }

    [Fact]
    public void A_removed_model_with_different_prices_is_not_a_rename()
    {
        var result = Diff(Fixtures.Small.Replace("- id: acme-small", "- id: acme-smol").Replace("input_mtok: 0.5", "input_mtok: 0.6"));

        Assert.Contains("Models added (1)\n  + acme/acme-smol", result.Out);
        Assert.Contains("Models removed (1)\n  - acme/acme-small", result.Out);
        Assert.DoesNotContain("renamed", result.Out);
    }

    [Fact]
    public void An_alias_with_the_same_target_and_a_similar_name_is_a_rename()
    {
        var result = Diff(Fixtures.Small.Replace("- name: bot", "- name: bots"));

        Assert.Contains("Aliases renamed? (1)\n  ~ bot -> bots (same target and prices, similar name: renamed?)", result.Out);
        Assert.DoesNotContain("Aliases added", result.Out);
    }

    [Fact]
    public void The_old_side_can_be_a_git_revision()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("pricing.yaml", Fixtures.Small);
        Git(dir.Path, "init", "-q");
        Git(dir.Path, "add", "pricing.yaml");
        Git(dir.Path, "-c", "user.name=test", "-c", "user.email=test@example.invalid", "commit", "-q", "-m", "prices");
        File.WriteAllText(path, Changed);

        var result = Cli.Run("diff", "HEAD", path);

        Assert.True(result.Code == 0, result.Err);
        Assert.Contains("Catalogue changes: HEAD:pricing.yaml -> " + path, result.Out);
        Assert.Contains("acme/acme-small -> acme/acme-smol", result.Out);
    }

    [Fact]
    public void An_unknown_revision_is_a_clear_failure()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("pricing.yaml", Fixtures.Small);
        Git(dir.Path, "init", "-q");

        var result = Cli.Run("diff", "no-such-rev", path);

        Assert.Equal(2, result.Code);
        Assert.Contains("'no-such-rev' is not a file, and 'git show no-such-rev:./pricing.yaml' failed", result.Err);
    }

    [Fact]
    public void A_side_that_does_not_parse_gets_the_builds_messages()
    {
        var result = Diff(Fixtures.Small.Replace("input_mtok: 0.5", "input_mtok: -0.5"));

        Assert.Equal(1, result.Code);
        Assert.Matches(@"new\.yaml\(\d+,\d+\): error PRICE005: ", result.Err);
    }

    /// <summary>Runs <c>catalog diff</c> from the small catalogue to <paramref name="changed"/>.</summary>
    private static Cli.Result Diff(string changed, params string[] options)
    {
        using var dir = new TempDirectory();
        return Cli.Run(["diff", dir.Write("old.yaml", Fixtures.Small), dir.Write("new.yaml", changed), .. options]);
    }

    private static void Git(string directory, params string[] args)
    {
        var start = new ProcessStartInfo("git", args) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        using var git = Process.Start(start)!;
        git.WaitForExit();
        Assert.True(git.ExitCode == 0, $"git {string.Join(' ', args)}: {git.StandardError.ReadToEnd()}");
    }
}
