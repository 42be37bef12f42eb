namespace Catalog.Ledger;

/// <summary>
/// A store that writes the rows of <see cref="UsageCsv"/> from the form it keeps its records in, without making a
/// <see cref="UsageRecord"/> of each: the same bytes as <see cref="UsageCsv"/> writes of <see cref="IUsageStore.StreamAsync"/>'s records.
/// </summary>
public interface IUsageCsvSource
{
    /// <summary>
    /// The CSV rows (UTF-8, each ending in CRLF, no header) of every record matching <paramref name="filter"/>, newest first, a
    /// chunk of whole rows at a time; a chunk is valid until the next is asked for.
    /// </summary>
    IEnumerable<ReadOnlyMemory<byte>> CsvRows(UsageFilter filter);
}
