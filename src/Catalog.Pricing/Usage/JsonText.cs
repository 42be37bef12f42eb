using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Catalog.Pricing;

/// <summary>
/// Strings and property names of a parsed request, which may not be valid Unicode (bytes that are not
/// UTF-8, an unpaired "\ud800" escape): <see cref="JsonElement"/> throws on them, a request must get a 400.
/// </summary>
public static class JsonText
{
    /// <summary>Shown in place of a property name that is not valid Unicode.</summary>
    public const string InvalidName = "\uFFFD";

    public static bool TryGetString(JsonElement value, [NotNullWhen(true)] out string? text)
    {
        try
        {
            text = value.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            text = null;
            return false;
        }
    }

    public static string NameOf(JsonProperty property)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException)
        {
            return InvalidName;
        }
    }
}
