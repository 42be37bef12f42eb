using System.Diagnostics;
using Catalog.Cli.Catalogue;
using Catalog.Cli.Diff;

namespace Catalog.Cli.Commands;

/// <summary><c>catalog diff &lt;old&gt; &lt;new&gt;</c>: models, aliases and prices changed between two catalogues.</summary>
internal static class DiffCommand
{
    public static readonly Command Command = new(
        "diff",
        "<old> <new> [--format text|markdown]",
        "Lists models and aliases added, removed and renamed, and every price changed (old -> new, in percent;\n"
        + "      changes over 50% are flagged). <old> is a file, a git revision (HEAD~1: the same path at that revision)\n"
        + "      or rev:path (main:pricing.yaml). --format markdown writes a pull-request comment.",
        ["format"],
        [],
        Run);

    private static int Run(CliContext context, Arguments args)
    {
        args.NoMorePositionalsThan(2);
        var oldArgument = args.Positional(0, "<old>: a catalogue file or a git revision");
        var newFile = CatalogueFile.Read(args.Positional(1, "<new>: a catalogue file"));
        var format = args.Value("format") ?? "text";
        if (format is not ("text" or "markdown"))
        {
            throw new UsageException($"--format is text or markdown, not '{format}'");
        }

        var oldFile = File.Exists(oldArgument) ? CatalogueFile.Read(oldArgument) : FromGit(oldArgument, newFile.Label);
        var old = oldFile.Load(context.Terminal.Err);
        var now = newFile.Load(context.Terminal.Err);
        if (old is null || now is null)
        {
            return ExitCodes.CatalogueErrors;
        }

        var diff = CatalogDiff.Compare(old, now);
        if (format == "markdown")
        {
            context.Terminal.Out.Write(DiffReport.Markdown(diff, oldFile.Label, newFile.Label));
        }
        else
        {
            DiffReport.Write(diff, oldFile.Label, newFile.Label, context.Terminal);
        }

        return ExitCodes.Ok;
    }

    /// <summary><c>rev:path</c> as given, or a bare revision read at the new file's path, through <c>git show</c>.</summary>
    private static CatalogueFile FromGit(string revision, string newPath)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(newPath))!;
        var spec = revision.Contains(':') ? revision : $"{revision}:./{Path.GetFileName(newPath)}";
        var workingDirectory = revision.Contains(':') ? Directory.GetCurrentDirectory() : directory;
        var start = new ProcessStartInfo("git", ["show", spec])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
        };
        try
        {
            using var git = Process.Start(start)!;
            var errors = git.StandardError.ReadToEndAsync();
            var text = git.StandardOutput.ReadToEnd();
            git.WaitForExit();
            if (git.ExitCode != 0)
            {
                throw new CliException($"'{revision}' is not a file, and 'git show {spec}' failed: {errors.Result.Trim()}");
            }

            return new CatalogueFile(revision.Contains(':') ? revision : spec.Replace(":./", ":", StringComparison.Ordinal), text);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new CliException($"'{revision}' is not a file, and git could not be run to read it as a revision: {ex.Message}");
        }
    }
}
