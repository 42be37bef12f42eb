using Catalog.Cli.Commands;
using Catalog.Cli.Output;
using Catalog.Pricing;

namespace Catalog.Cli;

/// <summary>What a command runs with: where it writes, and the clock that dates new entries.</summary>
internal sealed record CliContext(Terminal Terminal, TimeProvider Clock)
{
    public DateOnly Today => DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime);
}

/// <summary>One command of the tool: its name, synopsis, the options it accepts and what it runs.</summary>
internal sealed record Command(string Name, string Synopsis, string Summary, string[] ValueOptions, string[] Flags, Func<CliContext, Arguments, int> Run);

/// <summary>
/// The <c>catalog</c> command-line tool. <see cref="Run(string[], TextWriter, TextWriter)"/> is the
/// whole program with its output captured, so tests run commands in-process.
/// </summary>
public static class CliApp
{
    internal static readonly Command[] Commands =
    [
        ValidateCommand.Command,
        DiffCommand.Command,
        PriceCommand.Command,
        ImportCommand.Command,
        SyncCommand.Command,
        CrosscheckCommand.Command,
        ExportCommand.Command,
    ];

    /// <summary>Runs one command with plain output; returns the exit code (0 ok, 1 catalogue errors, 2 usage or I/O failure).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error) =>
        Run(args, new CliContext(new Terminal(output, error, rich: false), TimeProvider.System));

    internal static int Run(string[] args, CliContext context)
    {
        var terminal = context.Terminal;
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            var topic = args.Length > 1 ? Find(args[1]) : null;
            (args.Length == 0 ? terminal.Err : terminal.Out).Write(topic is null ? Usage() : Help(topic));
            return args.Length == 0 ? ExitCodes.Failure : ExitCodes.Ok;
        }

        if (args[0] is "--version")
        {
            terminal.Out.WriteLine($"catalog {ProductVersion.Current}");
            return ExitCodes.Ok;
        }

        var command = Find(args[0]);
        if (command is null)
        {
            var nearest = NameSuggestions.Nearest(args[0], Commands.Select(c => c.Name));
            terminal.Error($"unknown command '{args[0]}'{(nearest is null ? string.Empty : $"; did you mean '{nearest}'?")}");
            terminal.Err.Write(Usage());
            return ExitCodes.Failure;
        }

        if (args.Skip(1).Any(a => a is "-h" or "--help"))
        {
            terminal.Out.Write(Help(command));
            return ExitCodes.Ok;
        }

        try
        {
            return command.Run(context, Arguments.Parse(args[1..], command.ValueOptions, command.Flags));
        }
        catch (UsageException ex)
        {
            terminal.Error(ex.Message);
            terminal.Err.WriteLine($"usage: catalog {command.Name} {command.Synopsis}");
            return ExitCodes.Failure;
        }
        catch (CliException ex)
        {
            terminal.Error(ex.Message);
            return ex.ExitCode;
        }
        catch (IOException ex)
        {
            terminal.Error(ex.Message);
            return ExitCodes.Failure;
        }
        catch (UnauthorizedAccessException ex)
        {
            terminal.Error(ex.Message);
            return ExitCodes.Failure;
        }
    }

    private static Command? Find(string name) => Commands.FirstOrDefault(c => c.Name == name);

    private static string Usage()
    {
        var lines = new List<string> { "catalog: tooling for pricing.yaml, the price catalogue", string.Empty, "usage:" };
        lines.AddRange(Commands.Select(c => $"  catalog {c.Name} {c.Synopsis}\n      {c.Summary}"));
        lines.Add(string.Empty);
        lines.Add("'catalog <command> --help' shows a command's options; 'catalog --version' the version. Exit codes: 0 ok, 1 catalogue errors, 2 usage or I/O failure.");
        return string.Join(Environment.NewLine, lines) + Environment.NewLine;
    }

    private static string Help(Command command) =>
        $"usage: catalog {command.Name} {command.Synopsis}{Environment.NewLine}{Environment.NewLine}{command.Summary}{Environment.NewLine}";
}
