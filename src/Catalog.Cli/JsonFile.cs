using System.Text.Json;

namespace Catalog.Cli;

/// <summary>A JSON file the tools read (a source's price data), with errors that say where it is broken.</summary>
internal static class JsonFile
{
    public static JsonDocument Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new CliException($"cannot read '{path}': the file does not exist");
        }

        try
        {
            using var stream = File.OpenRead(path);
            return JsonDocument.Parse(stream);
        }
        catch (JsonException ex)
        {
            throw new CliException($"'{path}' is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}): {ex.Message}");
        }
    }
}
