using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Catalog.Api.Features.Usage;
using CsCheck;

namespace Catalog.Api.Tests.Ledger;

/// <summary>
/// The fingerprints a call is stored with and matched by: the canonical one is written from the bytes as sent when it can be,
/// and must stay byte for byte what it was (calls already stored are matched by it). The reference below is the writer as it
/// was before, which sorted names unescaped to strings and wrote every string through its text.
/// </summary>
public sealed class FingerprintTests
{
    /// <summary>Names and texts that take every path: plain ASCII, characters the writer escapes, escapes as sent, non-ASCII, supplementary characters (ordered apart from U+E000-U+FFFF in UTF-16).</summary>
    private static readonly Gen<string> Texts = Gen.OneOf(
        Gen.String[Gen.Char.AlphaNumeric, 0, 12],
        Gen.OneOf("a", "A", "b", "_", "id", "model", "usage", "z", "a b", "<tag>", "x&y", "'q'", "+1", "`", "\"quoted\"", "back\\slash", "tab\t", "nul\u0000",
            "é", "日本", "\uE000", "\uFFFD", "😀", "emoji 🎉 after", "\u007F", "\u2028"),
        Gen.String[0, 16].Select(s => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(s))));

    private static readonly Gen<string> Scalars = Gen.OneOf(
        Texts.Select(Quoted),
        Texts.Select(EscapedAsSent),
        Gen.OneOf("0", "-1", "12.50", "1e3", "true", "false", "null", "79228162514264337593543950335"));

    private static readonly Gen<string> Values = Gen.Recursive<string>((depth, values) => depth >= 3
        ? Scalars
        : Gen.Frequency(
            (4, Scalars),
            (1, values.Array[0, 4].Select(items => "[" + string.Join(",", items) + "]")),
            (2, Gen.Select(Texts, values).Array[0, 8].Select(Object))));

    private static readonly Gen<string> Bodies = Gen.Select(Texts, Values).Array[0, 16].Select(Object);

    [Fact]
    public void The_canonical_fingerprint_is_the_one_calls_were_stored_with()
    {
        Bodies.Sample(body =>
        {
            using var document = JsonDocument.Parse(body);
            Assert.Equal(Reference(document.RootElement), UsageCallReader.Fingerprint(document.RootElement));
        }, iter: 1_000, threads: 1);
    }

    [Theory]
    [InlineData("""{"b": 1, "a": {"d": "x", "c": [2, {"f": null, "e": true}]}}""", """{"a":{"c":[2,{"e":true,"f":null}],"d":"x"},"b":1}""")]
    [InlineData("""{"\u0062": "\u00e9", "a": "<&>", "😀": 1, "\uE000": 2}""", """{"a":"\u003C\u0026\u003E","b":"\u00E9","\uD83D\uDE00":1,"\uE000":2}""")]
    public void The_canonical_form_sorts_names_ordinally_unescaped_at_every_level(string body, string canonical)
    {
        using var sent = JsonDocument.Parse(body);
        using var expected = JsonDocument.Parse(canonical);
        Assert.Equal(Hash(Encoding.UTF8.GetBytes(canonical)), UsageCallReader.Fingerprint(sent.RootElement));
        Assert.Equal(Reference(expected.RootElement), UsageCallReader.Fingerprint(sent.RootElement));
    }

    private static string Object(IEnumerable<(string Name, string Value)> properties)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return "{" + string.Join(",", properties.Where(p => seen.Add(p.Name)).Select(p => Quoted(p.Name) + ":" + p.Value)) + "}";
    }

    private static string Quoted(string text) => JsonSerializer.Serialize(text, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    /// <summary>The text with its ASCII letters sent as \u escapes: the same string, other bytes.</summary>
    private static string EscapedAsSent(string text) =>
        "\"" + string.Concat(text.Select(c => char.IsAsciiLetter(c) ? $"\\u{(int)c:x4}" : Quoted(c.ToString())[1..^1])) + "\"";

    // ---- The canonical writer as it was (names unescaped to strings and sorted ordinally; strings written from their text) ----

    private static string Reference(JsonElement body)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteReference(body, writer);
        }

        return Hash(buffer.WrittenSpan);
    }

    private static string Hash(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(SHA256.HashData(bytes));

    private static void WriteReference(JsonElement element, Utf8JsonWriter writer)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var properties = element.EnumerateObject().Select(p => (p.Name, p.Value)).ToList();
                properties.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
                writer.WriteStartObject();
                foreach (var (name, value) in properties)
                {
                    writer.WritePropertyName(name);
                    WriteReference(value, writer);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteReference(item, writer);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(element.GetString());
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
