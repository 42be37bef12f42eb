using System.Diagnostics;
using Catalog.Ledger.LiteDb;
using Catalog.Tests.Shared;

namespace Catalog.Api.Tests.Hardening;

/// <summary>
/// A setting the service cannot start with stops the real process with one line naming the setting and the fix,
/// and exit code 1: no stack trace, no SIGABRT (issue #13, item 9).
/// </summary>
public sealed class StartupRefusalTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("catalog-refusal-").FullName;

    private string DatabasePath => Path.Combine(_directory, "catalog.db");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("HUGGINGFACE_INPUT_TOKEN_COST", "cheap", "HUGGINGFACE_INPUT_TOKEN_COST")]
    [InlineData("CATALOG_ALERT_WEBHOOK_URL", "ftp://alerts.internal/hook", "CATALOG_ALERT_WEBHOOK_URL")]
    [InlineData("Alerts__IntervalSeconds", "-5", "Alerts:IntervalSeconds")]
    [InlineData("Keys__RequestsPerSecond", "many", "Keys:RequestsPerSecond")]
    [InlineData("Storage__Provider", "mongodb", "Storage:Provider")]
    [InlineData("Storage__MaxRecordsPerCommit", "0", "Storage:MaxRecordsPerCommit")]
    [InlineData("Keys__RequestsPerSecond", "0", "Keys:RequestsPerSecond")]
    [InlineData("Limits__Exports", "0", "Limits:Exports")]
    [InlineData("Alerts__WebhookUrl", "alerts.internal/hook", "Alerts:WebhookUrl")]
    [InlineData("Cost__RequireKey", "sometimes", "Cost:RequireKey")]
    [InlineData("Ledger__RetentionDays", "0", "Ledger:RetentionDays")]
    public async Task A_bad_setting_is_one_line_naming_it_and_exit_code_1(string name, string value, string named)
    {
        var (exitCode, output, error) = await ApiProcess.RunToExitAsync(new Dictionary<string, string> { [name] = value, ["Storage__Path"] = DatabasePath });

        AssertRefused(exitCode, output, error, named);
    }

    [Fact]
    public async Task An_unreachable_postgres_is_one_line_naming_the_setting_and_exit_code_1()
    {
        var settings = new Dictionary<string, string>
        {
            ["Storage__Provider"] = "postgres",
            ["Storage__ConnectionString"] = $"Host=127.0.0.1;Port={ApiProcess.FreePort()};Username=catalog;Password=pw;Timeout=3",
        };

        var (exitCode, output, error) = await ApiProcess.RunToExitAsync(settings);

        AssertRefused(exitCode, output, error, "Storage:ConnectionString");
    }

    [Fact]
    public async Task A_ledger_file_held_by_another_process_is_one_line_and_exit_code_1()
    {
        using var holder = new LedgerDatabase(DatabasePath);

        var (exitCode, output, error) = await ApiProcess.RunToExitAsync(new Dictionary<string, string> { ["Storage__Path"] = DatabasePath });

        AssertRefused(exitCode, output, error, "Storage:Path");
        Assert.Contains("already open in another process", error);
    }

    [Fact]
    public async Task A_ledger_file_reached_through_a_hard_link_is_refused_the_same_way()
    {
        using var holder = new LedgerDatabase(DatabasePath);
        var linked = Path.Combine(_directory, "linked", "catalog.db");
        Directory.CreateDirectory(Path.GetDirectoryName(linked)!);
        using (var ln = Process.Start("ln", [DatabasePath, linked]))
        {
            await ln.WaitForExitAsync();
            Assert.Equal(0, ln.ExitCode);
        }

        var (exitCode, output, error) = await ApiProcess.RunToExitAsync(new Dictionary<string, string> { ["Storage__Path"] = linked });

        AssertRefused(exitCode, output, error, "Storage:Path");
        Assert.Contains("already open in another process", error);
    }

    [Fact]
    public async Task A_ledger_file_of_another_format_is_one_line_naming_both_versions_and_exit_code_1()
    {
        using (var newer = new LedgerDatabase(DatabasePath))
        {
            newer.Database.UserVersion = LedgerDatabase.FormatVersion + 1;
        }

        var (exitCode, output, error) = await ApiProcess.RunToExitAsync(new Dictionary<string, string> { ["Storage__Path"] = DatabasePath });

        AssertRefused(exitCode, output, error, "Storage:Path");
        Assert.Contains($"has ledger format version {LedgerDatabase.FormatVersion + 1}; this build reads format version {LedgerDatabase.FormatVersion}", error);
    }

    private static void AssertRefused(int exitCode, string output, string error, string setting)
    {
        var said = $"stdout: {output}{Environment.NewLine}stderr: {error}";
        Assert.True(exitCode == 1, $"exit code {exitCode}; {said}");
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("Catalog cannot start: ", line);
        Assert.Contains(setting, line);
        Assert.DoesNotContain("   at ", output + error);
        Assert.DoesNotContain("Unhandled exception", output + error);
    }
}
