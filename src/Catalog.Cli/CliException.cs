namespace Catalog.Cli;

/// <summary>A command cannot go on (a file is missing, the proxy is unreachable): one clear message and an exit code.</summary>
internal sealed class CliException(string message, int exitCode = ExitCodes.Failure) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The catalogue has problems (validation errors, or an edit that would break it).</summary>
    public const int CatalogueErrors = 1;

    /// <summary>Bad usage, an unreadable file, an unreachable proxy, a failing git.</summary>
    public const int Failure = 2;
}
