using Catalog.Cli;
using Catalog.Cli.Output;

// Tables and progress on a terminal; plain text when piped.
var terminal = new Terminal(Console.Out, Console.Error, rich: !Console.IsOutputRedirected);
return CliApp.Run(args, new CliContext(terminal, TimeProvider.System));
