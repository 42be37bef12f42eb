using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Catalog.Api.Http;

/// <summary>
/// JSON written as bytes into a span (a response's own memory, say): literals as they are, strings escaped as
/// <see cref="Utf8JsonWriter"/> escapes them with the same encoder, numbers and money as the service writes them. For
/// answers written in full many times a second, where a writer's checks per property cost more than the bytes
/// (<c>CostJson</c>). When the bytes outgrow the span they move to a pooled array (<see cref="Grown"/>), which
/// <see cref="Dispose"/> returns.
/// </summary>
public ref struct JsonBytes
{
    /// <summary>Printable ASCII that no encoder escapes: every other character is written as the encoder writes it.</summary>
    private static readonly SearchValues<char> Plain = SearchValues.Create(
        [.. Enumerable.Range(0x20, 0x7f - 0x20).Select(c => (char)c).Where(c => c is not ('"' or '\\' or '&' or '\'' or '+' or '<' or '>' or '`'))]);

    /// <summary>Longest money text: a sign, 29 digits and a point.</summary>
    private const int MaxMoneyLength = 31;

    private readonly JavaScriptEncoder? _encoder;
    private Span<byte> _buffer;
    private byte[]? _rented;

    public JsonBytes(Span<byte> buffer, JavaScriptEncoder? encoder)
    {
        _buffer = buffer;
        _encoder = encoder;
    }

    public int Length { get; private set; }

    /// <summary>True when the bytes no longer fit the span given and are in a pooled array instead.</summary>
    public readonly bool Grown => _rented is not null;

    public readonly ReadOnlySpan<byte> Written => _buffer[..Length];

    /// <summary>Returns the pooled array, if the bytes grew into one.</summary>
    public void Dispose()
    {
        if (_rented is { } rented)
        {
            _rented = null;
            _buffer = default;
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

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

    /// <summary>
    /// A price (a value most answers repeat: the prices of one model) as <see cref="Money"/> writes it, its text kept per
    /// thread by the decimal's bits (value, scale and sign, which alone decide the text) in a table of
    /// <see cref="PriceSlots"/>; a value not in it is formatted and takes its slot.
    /// </summary>
    public void Price(decimal value)
    {
        var bits = Unsafe.As<decimal, UInt128>(ref value);
        ref var entry = ref (t_prices ??= new PriceText[PriceSlots])[Slot(bits)];
        if (entry.Text is { } text && entry.Bits == bits)
        {
            Raw(text);
            return;
        }

        var start = Length;
        Money(value);
        entry = new PriceText(bits, _buffer[start..Length].ToArray());
    }

    private const int PriceSlots = 256;

    [ThreadStatic]
    private static PriceText[]? t_prices;

    private static int Slot(UInt128 bits) =>
        (int)((((ulong)bits * 0x9E3779B97F4A7C15UL) ^ ((ulong)(bits >> 64) * 0xC2B2AE3D27D4EB4FUL)) >> 56);

    private readonly record struct PriceText(UInt128 Bits, byte[]? Text);

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
            var encoded = JsonEncodedText.Encode(value, _encoder).EncodedUtf8Bytes;
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
        if (_buffer.Length - Length < bytes)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, Length + bytes));
            Written.CopyTo(larger);
            Dispose();
            _rented = larger;
            _buffer = larger;
        }

        return _buffer[Length..];
    }
}
