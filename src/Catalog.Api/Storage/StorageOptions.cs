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
}
