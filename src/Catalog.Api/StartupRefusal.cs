using Catalog.Ledger.LiteDb;
using Catalog.Pricing;

namespace Catalog.Api;

/// <summary>
/// A setting the service cannot start with ends the process with one line on standard error naming the setting
/// and the fix, and exit code 1, instead of an unhandled exception (a stack trace and SIGABRT, exit code 134).
/// Anything else that fails at start-up is a bug and keeps its stack trace.
/// </summary>
public static class StartupRefusal
{
    public const int ExitCode = 1;

    /// <summary>The line to print for <paramref name="error"/> when it is a refusal, else null.</summary>
    public static string? Explain(Exception error)
    {
        var line = error switch
        {
            CatalogConfigurationException or LedgerInUseException or LedgerFormatException => error.Message,
            // A settings class's validation at start-up (ValidateOnStart): its messages name the setting and the fix.
            Microsoft.Extensions.Options.OptionsValidationException invalid => string.Join(" ", invalid.Failures),
            // The configuration binder's own message names the setting ("... at 'Keys:RequestsPerSecond' to type ...").
            InvalidOperationException { Source: "Microsoft.Extensions.Configuration.Binder" } =>
                $"{error.Message} Set it to a value of that type, or remove it for the default.",
            AggregateException aggregate => aggregate.InnerExceptions.Select(Explain).FirstOrDefault(inner => inner is not null),
            _ => null,
        };
        return line?.ReplaceLineEndings(" ");
    }

    /// <summary>
    /// Makes a refusal that reaches the top of the process (thrown while Program builds the host or opens the
    /// ledger) print its line and exit with <see cref="ExitCode"/> before the runtime would print the stack and
    /// abort. A test host calls Program itself and sees the exception as before.
    /// </summary>
    public static void ExitOnRefusal() =>
        AppDomain.CurrentDomain.UnhandledException += (_, unhandled) =>
        {
            if (unhandled.ExceptionObject is Exception error && Explain(error) is { } line)
            {
                Console.Error.WriteLine($"Catalog cannot start: {line}");
                Environment.Exit(ExitCode);
            }
        };
}
