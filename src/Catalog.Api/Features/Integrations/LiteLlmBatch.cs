using System.Text.Json;
using Catalog.Api.Http;

namespace Catalog.Api.Features.Integrations;

/// <summary>
/// The entries of a body from LiteLLM's generic API logger, in each of its log formats: a JSON array
/// (json_array, its default), one object (single), or one object per line (ndjson). A line of NDJSON that
/// is not JSON becomes an entry with its error, so the other lines are still read.
/// </summary>
public sealed class LiteLlmBatch : IDisposable
{
    private readonly List<JsonDocument> _documents = [];

    private LiteLlmBatch(bool isList) => IsList = isList;

    /// <summary>False for one object sent alone: its errors are named without an index.</summary>
    public bool IsList { get; }

    /// <summary>Each entry, or (for a line that is not JSON) why it could not be read.</summary>
    public List<(JsonElement Entry, string? Error)> Entries { get; } = [];

    /// <summary>The entries of <paramref name="body"/> (which they keep using), or the JSON error of a body that is neither JSON nor NDJSON.</summary>
    public static (LiteLlmBatch? Batch, JsonException? Error) Parse(ReadOnlyMemory<byte> body)
    {
        JsonDocument whole;
        try
        {
            whole = JsonBody.Parse(body);
        }
        catch (JsonException error)
        {
            return ParseLines(body, error);
        }

        var root = whole.RootElement;
        var batch = new LiteLlmBatch(root.ValueKind == JsonValueKind.Array);
        batch._documents.Add(whole);
        if (batch.IsList)
        {
            batch.Entries.AddRange(root.EnumerateArray().Select(entry => (entry, (string?)null)));
        }
        else
        {
            batch.Entries.Add((root, null));
        }

        return (batch, null);
    }

    public void Dispose()
    {
        foreach (var document in _documents)
        {
            document.Dispose();
        }
    }

    /// <summary>NDJSON when there is more than one line and the first is JSON on its own; else the body's own error stands.</summary>
    private static (LiteLlmBatch? Batch, JsonException? Error) ParseLines(ReadOnlyMemory<byte> body, JsonException error)
    {
        var lines = Lines(body);
        var batch = new LiteLlmBatch(isList: true);
        for (var i = 0; i < lines.Count; i++)
        {
            try
            {
                var document = JsonBody.Parse(lines[i].Text);
                batch._documents.Add(document);
                batch.Entries.Add((document.RootElement, null));
            }
            catch (JsonException lineError)
            {
                if (i == 0)
                {
                    batch.Dispose();
                    return (null, error);
                }

                batch.Entries.Add((default, $"line {lines[i].Number} is not valid JSON: {JsonBody.FirstSentence(lineError.Message)} LiteLLM's ndjson log format sends one JSON object per line"));
            }
        }

        return (batch, null);
    }

    /// <summary>The lines that are not blank, with their line numbers (from 1).</summary>
    private static List<(ReadOnlyMemory<byte> Text, int Number)> Lines(ReadOnlyMemory<byte> body)
    {
        var lines = new List<(ReadOnlyMemory<byte>, int)>();
        var number = 0;
        while (!body.IsEmpty)
        {
            number++;
            var end = body.Span.IndexOf((byte)'\n');
            var line = end < 0 ? body : body[..end];
            body = end < 0 ? ReadOnlyMemory<byte>.Empty : body[(end + 1)..];
            if (!line.Span.Trim(" \t\r"u8).IsEmpty)
            {
                lines.Add((line, number));
            }
        }

        return lines;
    }
}
