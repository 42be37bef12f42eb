using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;
using Catalog.Pricing;

namespace Catalog.Api.Http;

/// <summary>A body that is JSON but cannot be read as the client meant it, with the field at fault.</summary>
public sealed class JsonFieldException(string field, string message) : JsonException(message)
{
    /// <summary>The path of the field, as validation problems name it (<c>items[3].usage</c>; <c>body</c> for the whole body).</summary>
    public string Field { get; } = field;
}

/// <summary>
/// What System.Text.Json parses but a request must not carry: a field named twice in one object (which
/// value a reader sees would be a guess) and text that is not Unicode (bytes that are not UTF-8, an unpaired
/// \u surrogate escape such as \ud800), which <see cref="JsonElement"/> throws on when it is read.
/// </summary>
public static class JsonWellFormed
{
    public const string InvalidFieldName = "a field name of this object is not valid Unicode (bytes that are not UTF-8, or an unpaired \\u surrogate escape such as \\ud800); send valid UTF-8 JSON";
    public const string InvalidText = "is not valid Unicode text (bytes that are not UTF-8, or an unpaired \\u surrogate escape such as \\ud800); send valid UTF-8 JSON";

    private static readonly JsonDocumentOptions Permissive = new() { MaxDepth = 32, AllowDuplicateProperties = true };

    /// <summary>The first string or field name in <paramref name="root"/> that is not Unicode, as an exception naming it; else null.</summary>
    public static JsonFieldException? FindBadText(JsonElement root) => Find(root, duplicates: false) is { } bad ? bad.ToException() : null;

    /// <summary>
    /// Why a body the strict parser refused is wrong, when it is a repeated field or a field name that is not
    /// Unicode (found by parsing it again with repeats allowed); null when it is not JSON at all.
    /// </summary>
    public static JsonFieldException? Locate(ReadOnlyMemory<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, Permissive);
            return Find(document.RootElement, duplicates: true)?.ToException();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Fault? Find(JsonElement element, bool duplicates)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = duplicates ? new HashSet<string>(StringComparer.Ordinal) : null;
                foreach (var property in element.EnumerateObject())
                {
                    if (!IsUnicode(property))
                    {
                        return new Fault(InvalidFieldName);
                    }

                    if (seen is not null && !seen.Add(property.Name))
                    {
                        return new Fault($"'{property.Name}' is sent twice in one object; send each field once").At(property.Name);
                    }

                    if (Find(property.Value, duplicates) is { } inside)
                    {
                        return inside.At(property.Name);
                    }
                }

                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Find(item, duplicates) is { } inside)
                    {
                        return inside.At(index);
                    }

                    index++;
                }

                return null;
            case JsonValueKind.String:
                return IsUnicode(element) ? null : new Fault(null);
            default:
                return null;
        }
    }

    /// <summary>Unescaped text is checked as UTF-8 bytes; escaped text is decoded, which throws when it is not Unicode.</summary>
    private static bool IsUnicode(JsonProperty property)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        if (raw.IndexOf((byte)'\\') < 0)
        {
            return Utf8.IsValid(raw);
        }

        try
        {
            _ = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool IsUnicode(JsonElement text)
    {
        var quoted = JsonMarshal.GetRawUtf8Value(text);
        if (quoted.IndexOf((byte)'\\') < 0)
        {
            return Utf8.IsValid(quoted[1..^1]);
        }

        return JsonText.TryGetString(text, out _);
    }

    /// <summary>What is wrong (null: the string value itself) and the path to it, built as the search unwinds.</summary>
    private sealed class Fault(string? message)
    {
        private readonly List<string> _segments = [];

        public Fault At(string name)
        {
            _segments.Add("." + name);
            return this;
        }

        public Fault At(int index)
        {
            _segments.Add($"[{index}]");
            return this;
        }

        public JsonFieldException ToException()
        {
            _segments.Reverse();
            var path = string.Concat(_segments).TrimStart('.');
            var field = path.Length == 0 ? "body" : path;
            return new JsonFieldException(field, message ?? $"'{field}' {InvalidText}");
        }
    }
}
