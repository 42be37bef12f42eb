using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Catalog.Api.Http;

/// <summary>
/// JSON written as bytes into a buffer that grows: literals as they are, strings escaped as <see cref="Utf8JsonWriter"/>
/// escapes them with the same encoder, numbers and money as the service writes them. For answers written in full many
/// times a second, where a writer's checks per property cost more than the bytes (<c>CostJson</c>).
/// </summary>
public struct JsonBytes(byte[] buffer, JavaScriptEncoder? encoder)
{
    /// <summary>Printable ASCII that no encoder escapes: every other character is written as the encoder writes it.</summary>
    private static readonly SearchValues<char> Plain = SearchValues.Create(
        [.. Enumerable.Range(0x20, 0x7f - 0x20).Select(c => (char)c).Where(c => c is not ('"' or '\\' or '&' or '\'' or '+' or '<' or '>' or '`'))]);

    /// <summary>Longest money text: a sign, 29 digits and a point.</summary>
    private const int MaxMoneyLength = 31;

    /// <summary>The buffer written to (replaced by a larger one when it fills).</summary>
    public byte[] Buffer { get; private set; } = buffer;

    public int Length { get; private set; }

    public readonly ReadOnlySpan<byte> Written => Buffer.AsSpan(0, Length);

    public void Raw(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Room(bytes.Length));
        Length += bytes.Length;
    }

    /// <summary>A comma before every item of a list but the first.</summary>
    public void Item(ref bool separator)
    {
        if (separator)
        {
            Raw(","u8);
        }

        separator = true;
    }

    public void Number(long value)
    {
        value.TryFormat(Room(20), out var written, default, CultureInfo.InvariantCulture);
        Length += written;
    }

    /// <summary>A decimal as <see cref="ExactDecimalConverter"/> writes it.</summary>
    public void Money(decimal value)
    {
        if (value == 0m)
        {
            Raw("0"u8);
            return;
        }

        Length += ExactDecimalConverter.Format(value, Room(MaxMoneyLength)).Length;
    }

    /// <summary>A string in quotes (or null), escaped as a writer with the same encoder escapes it.</summary>
    public void String(string? value)
    {
        if (value is null)
        {
            Raw("null"u8);
            return;
        }

        if (value.AsSpan().ContainsAnyExcept(Plain))
        {
            var encoded = JsonEncodedText.Encode(value, encoder).EncodedUtf8Bytes;
            var quoted = Room(encoded.Length + 2);
            quoted[0] = (byte)'"';
            encoded.CopyTo(quoted[1..]);
            quoted[encoded.Length + 1] = (byte)'"';
            Length += encoded.Length + 2;
            return;
        }

        var text = Room(value.Length + 2);
        text[0] = (byte)'"';
        Encoding.ASCII.GetBytes(value, text[1..]);
        text[value.Length + 1] = (byte)'"';
        Length += value.Length + 2;
    }

    private Span<byte> Room(int bytes)
    {
        if (Buffer.Length - Length < bytes)
        {
            var larger = new byte[Math.Max(Buffer.Length * 2, Length + bytes)];
            Written.CopyTo(larger);
            Buffer = larger;
        }

        return Buffer.AsSpan(Length);
    }
}
