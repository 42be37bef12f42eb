using System.Globalization;

namespace Catalog.Pricing.Export;

/// <summary>
/// Rows of CSV being written as UTF-8, cell by cell, byte for byte as <see cref="CsvCells"/> writes them into text (the
/// same quoting, formula guard and number forms): for an export that reads its cells as UTF-8 already and should not make
/// a string of each. The buffer grows to hold what is written; <see cref="Clear"/> starts it again once it was sent.
/// </summary>
public sealed class CsvBytes(int capacity)
{
    private byte[] _bytes = new byte[capacity];
    private int _length;

    /// <summary>How many bytes are written.</summary>
    public int Length => _length;

    /// <summary>The bytes written since the last <see cref="Clear"/>; valid until the next write.</summary>
    public ReadOnlyMemory<byte> Written => _bytes.AsMemory(0, _length);

    public void Clear() => _length = 0;

    /// <summary>One text cell from its UTF-8, as <see cref="CsvCells.Text"/> writes it (the characters it looks at are ASCII, so the bytes say the same).</summary>
    public void Text(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            Empty();
            return;
        }

        var guard = utf8[0] is (byte)'=' or (byte)'+' or (byte)'-' or (byte)'@' or (byte)'\t' or (byte)'\r';
        if (utf8.IndexOfAny(",\"\r\n"u8) < 0)
        {
            var plain = Reserve(utf8.Length + 2);
            var at = 0;
            if (guard)
            {
                plain[at++] = (byte)'\'';
            }

            utf8.CopyTo(plain[at..]);
            plain[at + utf8.Length] = (byte)',';
            _length += at + utf8.Length + 1;
            return;
        }

        Quoted(utf8, guard);
    }

    /// <summary>One text cell from a string (for the few cells an export makes as text); empty when null.</summary>
    public void Text(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            Empty();
            return;
        }

        Text(System.Text.Encoding.UTF8.GetBytes(value));
    }

    /// <summary>A cell with nothing in it (a null).</summary>
    public void Empty() => Byte((byte)',');

    /// <summary>One whole-number cell, as <see cref="CsvCells.Number"/> writes it.</summary>
    public void Number(long value)
    {
        if ((ulong)value < 10)
        {
            var digit = Reserve(2);
            digit[0] = (byte)('0' + value);
            digit[1] = (byte)',';
            _length += 2;
            return;
        }

        var span = Reserve(21);
        value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
        span[written] = (byte)',';
        _length += written + 1;
    }

    /// <summary>One whole-number cell; empty when null.</summary>
    public void Number(long? value)
    {
        if (value is { } number)
        {
            Number(number);
        }
        else
        {
            Empty();
        }
    }

    /// <summary>
    /// One exact decimal cell without trailing zeros, as <see cref="CsvCells.Decimal"/> writes it: a mantissa that fits in
    /// 64 bits (any amount below 18 million million dollars at 6 decimals) is written digit by digit here, without the
    /// division <see cref="CsvCells.WithoutTrailingZeros"/> makes; a larger one as that cell does.
    /// </summary>
    public void Decimal(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        if (bits[2] != 0)
        {
            var span = Reserve(32);
            CsvCells.WithoutTrailingZeros(value).TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
            span[written] = (byte)',';
            _length += written + 1;
            return;
        }

        var mantissa = ((ulong)(uint)bits[1] << 32) | (uint)bits[0];
        if (mantissa == 0)
        {
            Number(0); // a zero of any scale or sign shows as 0
            return;
        }

        var scale = (bits[3] >> 16) & 0xFF;
        while (scale > 0 && mantissa % 10 == 0)
        {
            mantissa /= 10;
            scale--;
        }

        // 20 digits at most, a sign, "0." and up to 28 zeros before them, and the separator.
        var cell = Reserve(52);
        var at = 0;
        if (bits[3] < 0)
        {
            cell[at++] = (byte)'-';
        }

        Span<byte> digits = stackalloc byte[20];
        mantissa.TryFormat(digits, out var count, default, CultureInfo.InvariantCulture);
        if (scale == 0)
        {
            digits[..count].CopyTo(cell[at..]);
            at += count;
        }
        else if (scale < count)
        {
            digits[..(count - scale)].CopyTo(cell[at..]);
            at += count - scale;
            cell[at++] = (byte)'.';
            digits[(count - scale)..count].CopyTo(cell[at..]);
            at += scale;
        }
        else
        {
            cell[at++] = (byte)'0';
            cell[at++] = (byte)'.';
            cell.Slice(at, scale - count).Fill((byte)'0');
            at += scale - count;
            digits[..count].CopyTo(cell[at..]);
            at += count;
        }

        cell[at++] = (byte)',';
        _length += at;
    }

    /// <summary>One exact decimal cell; empty when null.</summary>
    public void Decimal(decimal? value)
    {
        if (value is { } number)
        {
            Decimal(number);
        }
        else
        {
            Empty();
        }
    }

    /// <summary>A time in UTC to the tick (2026-12-03T21:07:00.1234567Z, as the format "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'" writes it): it never needs quoting or a formula guard.</summary>
    public void Timestamp(long utcTicks)
    {
        var (year, month, day) = new DateTime(utcTicks, DateTimeKind.Utc);
        var time = utcTicks % TimeSpan.TicksPerDay;
        var cell = Reserve(29);
        Digits(cell[..4], year);
        cell[4] = (byte)'-';
        Digits(cell.Slice(5, 2), month);
        cell[7] = (byte)'-';
        Digits(cell.Slice(8, 2), day);
        cell[10] = (byte)'T';
        Digits(cell.Slice(11, 2), (int)(time / TimeSpan.TicksPerHour));
        cell[13] = (byte)':';
        Digits(cell.Slice(14, 2), (int)(time / TimeSpan.TicksPerMinute % 60));
        cell[16] = (byte)':';
        Digits(cell.Slice(17, 2), (int)(time / TimeSpan.TicksPerSecond % 60));
        cell[19] = (byte)'.';
        Digits(cell.Slice(20, 7), (int)(time % TimeSpan.TicksPerSecond));
        cell[27] = (byte)'Z';
        cell[28] = (byte)',';
        _length += 29;
    }

    /// <summary>A cell known to need no quoting and no formula guard (a fixed word).</summary>
    public void Plain(ReadOnlySpan<byte> ascii)
    {
        var span = Reserve(ascii.Length + 1);
        ascii.CopyTo(span);
        span[ascii.Length] = (byte)',';
        _length += ascii.Length + 1;
    }

    /// <summary>Ends the row: its last separator becomes CRLF.</summary>
    public void EndRow()
    {
        _bytes[_length - 1] = (byte)'\r';
        Byte((byte)'\n');
    }

    private void Quoted(ReadOnlySpan<byte> utf8, bool guard)
    {
        var quotes = utf8.Count((byte)'"');
        var span = Reserve(utf8.Length + quotes + 4);
        var at = 0;
        span[at++] = (byte)'"';
        if (guard)
        {
            span[at++] = (byte)'\'';
        }

        foreach (var b in utf8)
        {
            span[at++] = b;
            if (b == (byte)'"')
            {
                span[at++] = b;
            }
        }

        span[at++] = (byte)'"';
        span[at++] = (byte)',';
        _length += at;
    }

    /// <summary>Writes <paramref name="value"/> in exactly as many digits as <paramref name="into"/> has, with leading zeros.</summary>
    private static void Digits(Span<byte> into, int value)
    {
        for (var i = into.Length - 1; i >= 0; i--)
        {
            into[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }

    private void Byte(byte value)
    {
        Reserve(1)[0] = value;
        _length++;
    }

    /// <summary>Room for <paramref name="count"/> more bytes, from the end of what is written.</summary>
    private Span<byte> Reserve(int count)
    {
        if (_bytes.Length - _length < count)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _length + count));
        }

        return _bytes.AsSpan(_length);
    }
}
