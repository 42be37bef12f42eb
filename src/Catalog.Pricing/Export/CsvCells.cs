using System.Globalization;
using System.Text;

namespace Catalog.Pricing.Export;

/// <summary>
/// Cells of a CSV row as every export writes them: RFC 4180 (comma separated, a field with a comma, quote or line
/// break quoted and its quotes doubled), invariant culture, and safe to open in a spreadsheet: a text cell that
/// starts with '=', '+', '-', '@' (or a tab or carriage return) gets a leading single quote so it is not run as a formula.
/// Each writer appends the cell and its separator; <see cref="EndRow"/> turns the last separator into CRLF.
/// </summary>
public static class CsvCells
{
    /// <summary>One text cell, escaped against formulas, quoted when RFC 4180 needs it; empty when null.</summary>
    public static void Text(StringBuilder row, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            var guarded = value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
            if (guarded.AsSpan().IndexOfAny(",\"\r\n") >= 0)
            {
                row.Append('"').Append(guarded.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                row.Append(guarded);
            }
        }

        row.Append(',');
    }

    /// <summary>One whole-number cell; empty when null.</summary>
    public static void Number(StringBuilder row, long? value) => row.Append(value?.ToString(CultureInfo.InvariantCulture)).Append(',');

    /// <summary>One exact decimal cell (an amount or a price) without trailing zeros; empty when null. Numbers need no formula guard.</summary>
    public static void Decimal(StringBuilder row, decimal? value) =>
        row.Append(value is { } number ? WithoutTrailingZeros(number).ToString(CultureInfo.InvariantCulture) : null).Append(',');

    /// <summary>The same number at the smallest scale that holds it exactly (0.00750 is 0.0075), as a decimal cell shows it.</summary>
    public static decimal WithoutTrailingZeros(decimal value) => value / 1.000000000000000000000000000000000m;

    /// <summary>Ends the row: its last separator becomes CRLF.</summary>
    public static void EndRow(StringBuilder row)
    {
        row[^1] = '\r';
        row.Append('\n');
    }
}
