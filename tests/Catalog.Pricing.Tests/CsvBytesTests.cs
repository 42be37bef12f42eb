using System.Globalization;
using System.Text;
using Catalog.Pricing.Export;
using CsCheck;

namespace Catalog.Pricing.Tests;

/// <summary>CSV cells written as UTF-8 (<see cref="CsvBytes"/>) are the bytes of the cells <see cref="CsvCells"/> writes as text.</summary>
public sealed class CsvBytesTests
{
    private static readonly Gen<string?> Texts = Gen.OneOf(
        Gen.Const((string?)null),
        Gen.Const((string?)""),
        Gen.String.Select(s => (string?)Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(s))),
        Gen.String[Gen.Char["=+-@\t\r\n,\"'a é"], 0, 12].Select(s => (string?)s),
        Gen.OneOf<string?>("=SUM(A1)", "-1", "+sum", "@x", "\tx", "\rx", "a,b", "say \"hi\"", "\"", "\"\"", "line\r\nbreak", "日本語", "emoji 🎉", "\u0000"));

    private static readonly Gen<decimal> Decimals = Gen.OneOf(
        Gen.Decimal,
        Gen.Long.Select(l => (decimal)l),
        Gen.Select(Gen.Long[0, long.MaxValue], Gen.Byte[0, 28], Gen.Bool).Select((m, scale, negative) => new decimal((int)m, (int)(m >> 32), 0, negative, scale)),
        Gen.Select(Gen.Int[0, 1_000], Gen.Byte[0, 28], Gen.Bool).Select((m, scale, negative) => new decimal(m * 1000, 0, 0, negative, scale)),
        Gen.OneOf(0m, 0.00m, new decimal(0, 0, 0, true, 5), 1.10m, -1.10m, 0.0075m, 0.00750m, decimal.MaxValue, decimal.MinValue, 0.0000000000000000000000000001m,
            new decimal(-1, -1, 0, false, 28), new decimal(-1, -1, 0, true, 0), new decimal(0, 0, 1, false, 3)));

    private static readonly Gen<long> Longs = Gen.OneOf(Gen.Long, Gen.Long[-20, 20], Gen.OneOf(0L, 9L, 10L, long.MaxValue, long.MinValue));

    private static readonly Gen<long> Ticks = Gen.OneOf(Gen.Long[0, DateTime.MaxValue.Ticks], Gen.OneOf(0L, DateTime.MaxValue.Ticks, new DateTime(2026, 12, 3, 23, 59, 59, DateTimeKind.Utc).Ticks + 9_999_999));

    [Fact]
    public void Each_cell_is_the_utf8_of_the_text_cell()
    {
        Gen.Select(Texts, Decimals, Longs, Ticks, Gen.Bool).Sample((text, number, whole, ticks, isNull) =>
        {
            var expected = new StringBuilder();
            CsvCells.Text(expected, text);
            CsvCells.Decimal(expected, number);
            CsvCells.Decimal(expected, isNull ? null : -number);
            CsvCells.Number(expected, whole);
            CsvCells.Number(expected, isNull ? null : whole);
            expected.Append(new DateTime(ticks, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)).Append(',');
            CsvCells.Text(expected, "success");
            CsvCells.EndRow(expected);

            var row = new CsvBytes(4);
            row.Text(text is null ? default : Encoding.UTF8.GetBytes(text));
            row.Decimal(number);
            row.Decimal(isNull ? null : -number);
            row.Number(whole);
            row.Number(isNull ? null : whole);
            row.Timestamp(ticks);
            row.Plain("success"u8);
            row.EndRow();

            Assert.Equal(expected.ToString(), Encoding.UTF8.GetString(row.Written.Span));
        }, iter: 20_000, threads: 1);
    }

    [Fact]
    public void Rows_grow_the_buffer_and_clear_starts_it_again()
    {
        var row = new CsvBytes(1);
        var text = new string('x', 10_000);
        row.Text(text);
        row.Text("a,\"b\"");
        row.EndRow();
        Assert.Equal(text + ",\"a,\"\"b\"\"\"\r\n", Encoding.UTF8.GetString(row.Written.Span));

        row.Clear();
        row.Empty();
        row.Number(7);
        row.EndRow();
        Assert.Equal(",7\r\n", Encoding.UTF8.GetString(row.Written.Span));
    }
}
