using System.Text;

namespace Catalog.Pricing;

/// <summary>
/// Strings for the names requests repeat (models, providers, tiers, regions), made once from their ASCII bytes and
/// then found by those bytes: a batch of calls to a few models allocates no string per call. A fixed table of slots
/// by hash, each holding the last name that landed there (replaced, never grown), so it stays small whatever is sent.
/// </summary>
public static class Utf8Names
{
    /// <summary>Names longer than this are made each time (no name in a catalogue is this long).</summary>
    public const int MaxCachedLength = 128;

    private const int Slots = 4096;

    private static readonly Entry?[] Entries = new Entry?[Slots];

    /// <summary>True when every byte is printable ASCII (space to tilde): such a name needs no decoding and has no control character.</summary>
    public static bool IsPrintableAscii(ReadOnlySpan<byte> text) => !text.ContainsAnyExceptInRange((byte)0x20, (byte)0x7e);

    /// <summary>The string of <paramref name="ascii"/>, which must be ASCII.</summary>
    public static string Get(ReadOnlySpan<byte> ascii)
    {
        if (ascii.IsEmpty)
        {
            return string.Empty;
        }

        if (ascii.Length > MaxCachedLength)
        {
            return Encoding.ASCII.GetString(ascii);
        }

        var hash = new HashCode();
        hash.AddBytes(ascii);
        var slot = hash.ToHashCode() & (Slots - 1);
        if (Entries[slot] is { } entry && ascii.SequenceEqual(entry.Ascii))
        {
            return entry.Text;
        }

        var text = Encoding.ASCII.GetString(ascii);
        Entries[slot] = new Entry(ascii.ToArray(), text);
        return text;
    }

    private sealed class Entry(byte[] ascii, string text)
    {
        public byte[] Ascii { get; } = ascii;

        public string Text { get; } = text;
    }
}
