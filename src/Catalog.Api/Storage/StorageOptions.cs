namespace Catalog.Api.Storage;

/// <summary>Where the ledger lives (<c>Storage:Path</c>, relative to the content root).</summary>
public sealed class StorageOptions
{
    public const string DefaultPath = "data/catalog.db";

    public string Path { get; set; } = DefaultPath;

    /// <summary>Most records one group commit writes.</summary>
    public int MaxRecordsPerCommit { get; set; } = 20_000;
}
