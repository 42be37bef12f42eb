namespace Catalog.Api.Storage;

/// <summary>
/// Where the ledger lives: <c>Storage:Provider</c> <c>litedb</c> (default: one embedded file at
/// <c>Storage:Path</c>, relative to the content root, for one process) or <c>postgres</c> (the database at
/// <c>Storage:ConnectionString</c>, shared by any number of instances).
/// </summary>
public sealed class StorageOptions
{
    public const string LiteDb = "litedb";
    public const string Postgres = "postgres";
    public const string DefaultPath = "data/catalog.db";

    public string Provider { get; set; } = LiteDb;

    public string Path { get; set; } = DefaultPath;

    /// <summary>An Npgsql connection string, for <see cref="Postgres"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Most records one group commit writes.</summary>
    public int MaxRecordsPerCommit { get; set; } = 20_000;

    /// <summary><c>LiteDB</c>, <c> postgres </c> -> the provider's name as this class spells it.</summary>
    public static string Normalize(string provider) => provider.Trim().ToLowerInvariant();

    /// <summary>What is wrong with <paramref name="options"/>, naming the setting and the fix; null when nothing is.</summary>
    public static string? Problem(StorageOptions options) => Http.Settings.FirstProblem(
        (Normalize(options.Provider) is not (LiteDb or Postgres),
            $"Storage:Provider is '{options.Provider}'; set it to '{LiteDb}' (the default: an embedded file for one process) or '{Postgres}' (with Storage:ConnectionString, for several instances)."),
        (Normalize(options.Provider) == LiteDb && string.IsNullOrWhiteSpace(options.Path),
            $"Storage:Path is empty; set it to the ledger file's path (relative to the content root; default '{DefaultPath}') or remove it."),
        (options.MaxRecordsPerCommit < 1,
            $"Storage:MaxRecordsPerCommit is {options.MaxRecordsPerCommit}; set it to a whole number of 1 or more (default 20000) or remove it."));
}
