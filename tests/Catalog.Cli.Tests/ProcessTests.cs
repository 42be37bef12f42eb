using System.Diagnostics;

namespace Catalog.Cli.Tests;

/// <summary>The tool as a real process: exit codes, and plain output when it is piped.</summary>
public sealed class ProcessTests
{
    [Fact]
    public void Validate_as_a_process_reports_problems_and_exits_1()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("pricing.yaml", Fixtures.Small.Replace("input_mtok: 0.5", "input_mtok: 500000"));

        var (code, output, error) = Run("validate", path);

        Assert.Equal(1, code);
        Assert.Equal(string.Empty, output);
        Assert.Matches(@"pricing\.yaml\(\d+,\d+\): error PRICE014: 'input_mtok: 500000' in 'prices' of model 'acme/acme-small' is over 1000 USD per million tokens", error);
    }

    [Fact]
    public void Diff_as_a_process_writes_plain_text_when_piped()
    {
        using var dir = new TempDirectory();
        var old = dir.Write("old.yaml", Fixtures.Small);
        var now = dir.Write("new.yaml", Fixtures.Small.Replace("output_mtok: 15", "output_mtok: 30"));

        var (code, output, _) = Run("diff", old, now);

        Assert.Equal(0, code);
        Assert.DoesNotContain("\u001b[", output);
        Assert.DoesNotContain("╭", output);
        Assert.Matches(@"acme/acme-large\s+output_mtok\s+15\s+30\s+\+100% !! over 50%", output);
    }

    [Fact]
    public void Version_prints_the_solution_version()
    {
        var (code, output, _) = Run("--version");

        Assert.Equal(0, code);
        Assert.Equal($"catalog {Catalog.Tests.Shared.Repository.Version}", output.Trim());
    }

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "Catalog.Cli.dll");
        var start = new ProcessStartInfo("dotnet", ["exec", cli, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), "the tool did not finish");
        return (process.ExitCode, output, error.Result);
    }
}
