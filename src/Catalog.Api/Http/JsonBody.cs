using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Catalog.Api.Http;

/// <summary>
/// Reads a JSON request body into a <see cref="JsonDocument"/>, turning every way it can be wrong
/// (not JSON, empty, too large, wrong content type) into a 4xx ProblemDetails instead of a 500.
/// </summary>
public static class JsonBody
{
    /// <summary>Bodies up to this size are read into one buffer of their declared length; larger ones are read in growing steps.</summary>
    private const int FirstBufferBytes = 64 * 1024;

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 32, AllowDuplicateProperties = false };

    public static async Task<(JsonDocument? Document, IResult? Problem)> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        var (body, problem) = await ReadBytesAsync(request, maxBytes, cancellationToken);
        return problem is not null ? (null, problem) : ParseOrProblem(body);
    }

    /// <summary>The body parsed as <see cref="Parse"/> parses it, or the 400 saying why it is not JSON a request may carry.</summary>
    public static (JsonDocument? Document, IResult? Problem) ParseOrProblem(ReadOnlyMemory<byte> body)
    {
        try
        {
            return (Parse(body), null);
        }
        catch (JsonException ex)
        {
            return (null, NotJson(ex));
        }
    }

    /// <summary>
    /// The body's bytes, for bodies that may hold more than one JSON document (NDJSON); the same checks as
    /// <see cref="ReadAsync"/>. A body that declares its length is read into one array of that length, so the
    /// only full copy of a large batch is the one its JSON document reads from.
    /// </summary>
    /// <param name="pooled">
    /// The caller is done with the bytes when the response is: a body of up to <see cref="HeavyRequests.LargeBodyBytes"/> is then
    /// read into an array of the shared pool, given back when the response completes (a batch of 1,000 calls is about 170 kB, which
    /// would otherwise be a new large-object array, zeroed page by page, per request).
    /// </param>
    public static async Task<(ReadOnlyMemory<byte> Body, IResult? Problem)> ReadBytesAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken, bool pooled = false)
    {
        if (Refuse(request, maxBytes) is { } refused)
        {
            return (default, refused);
        }

        if (maxBytes > HeavyRequests.LargeBodyBytes && request.ContentLength is null or > HeavyRequests.LargeBodyBytes
            && HeavyRequests.Enter(request.HttpContext, request.HttpContext.RequestServices.GetRequiredService<HeavyRequests>().LargeBodies, "large batch bodies") is { } busy)
        {
            return (default, busy);
        }

        // One byte more than declared (or allowed) shows a body that is longer than it should be.
        var size = request.ContentLength is { } declared ? declared + 1 : Math.Min(FirstBufferBytes, maxBytes + 1);
        byte[] buffer;
        if (pooled && size <= HeavyRequests.LargeBodyBytes)
        {
            buffer = ArrayPool<byte>.Shared.Rent((int)size);
            request.HttpContext.Response.RegisterForDispose(new Returned(buffer));
        }
        else
        {
            buffer = new byte[size];
        }

        var length = 0;
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
            {
                length += read;
                if (length > maxBytes)
                {
                    return (default, TooLarge(maxBytes));
                }

                if (length == buffer.Length)
                {
                    Array.Resize(ref buffer, (int)Math.Min(buffer.Length * 2L, maxBytes + 1));
                }
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (default, TooLarge(maxBytes));
        }

        return (buffer.AsMemory(0, length), null);
    }

    /// <summary>
    /// Parses one JSON document from <paramref name="json"/>, which it keeps using (no copy). A field named twice
    /// in one object and text that is not Unicode are refused here, so no reader has to guess which value wins
    /// or trip over a string it cannot decode.
    /// </summary>
    /// <exception cref="JsonException">Not valid JSON; a <see cref="JsonFieldException"/> names the field at fault.</exception>
    public static JsonDocument Parse(ReadOnlyMemory<byte> json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Options);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // A repeated field, or an escaped field name that is not Unicode: find which, with its path.
            throw JsonWellFormed.Locate(json) ?? (ex as JsonException ?? new JsonException(ex.Message, ex));
        }

        if (JsonWellFormed.FindBadText(document.RootElement) is { } bad)
        {
            document.Dispose();
            throw bad;
        }

        return document;
    }

    /// <summary>Gives a pooled body back to the pool.</summary>
    private sealed class Returned(byte[] buffer) : IDisposable
    {
        public void Dispose() => ArrayPool<byte>.Shared.Return(buffer);
    }

    /// <summary>The 400 for a body that is not valid JSON, saying where.</summary>
    public static IResult NotJson(JsonException ex) => ex is JsonFieldException field
        ? Problems.Validation(field.Field, field.Message)
        : Problems.Validation("body", $"The body is not valid JSON{Where(ex)}: {FirstSentence(ex.Message)} Send a JSON object.");

    public static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }

    /// <summary>" at line N, byte M" of a JSON error, when it says.</summary>
    private static string Where(JsonException ex) =>
        ex.LineNumber is { } line ? $" at line {line + 1}, byte {ex.BytePositionInLine + 1}" : string.Empty;

    /// <summary>The problem with the request before its body is read (declared too large, not JSON), or null.</summary>
    private static IResult? Refuse(HttpRequest request, long maxBytes)
    {
        var sizeFeature = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = maxBytes;
        }

        if (request.ContentLength > maxBytes)
        {
            return TooLarge(maxBytes);
        }

        if (request.ContentType is not { } contentType || !contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported content type",
                detail: request.ContentType is null
                    ? "The body must be JSON sent with 'Content-Type: application/json'; this request has no content type."
                    : $"The body must be JSON; send it with 'Content-Type: application/json', not '{request.ContentType}'.");
        }

        return null;
    }

    /// <summary>
    /// Reads the body as <see cref="ReadAsync"/> does and hands its root to <paramref name="handle"/>, keeping
    /// the document alive until the handler is done: the opening every JSON endpoint shares.
    /// </summary>
    public static async Task<IResult> HandleAsync(HttpRequest request, long maxBytes, Func<JsonElement, Task<IResult>> handle, CancellationToken cancellationToken)
    {
        var (document, problem) = await ReadAsync(request, maxBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            return await handle(document!.RootElement);
        }
    }

    private static IResult TooLarge(long maxBytes) => TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Request body too large",
        detail: $"The body is larger than {maxBytes:N0} bytes. Split it into smaller requests (the batch endpoints take up to 10,000 items).");
}

/// <summary>The envelope of every batch endpoint: <c>{"items": [ ... ]}</c> with at most <see cref="MaxItems"/> items.</summary>
public static class BatchEnvelope
{
    public const int MaxItems = 10_000;

    /// <summary>The items array, or false with the field at fault in <paramref name="errors"/>; <paramref name="itemNoun"/> names what an item is ("calls").</summary>
    public static bool TryRead(JsonElement root, string itemNoun, Dictionary<string, string[]> errors, out JsonElement items)
    {
        items = default;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("items", out items) || items.ValueKind != JsonValueKind.Array)
        {
            PricingRequestReader.Add(errors, "items", $"send {{\"items\": [ ... ]}} with up to 10,000 {itemNoun}");
            return false;
        }

        if (errors.Count > 0)
        {
            return false;
        }

        var count = items.GetArrayLength();
        if (count > MaxItems)
        {
            PricingRequestReader.Add(errors, "items", $"{count} items is over the limit of {MaxItems}; split the batch");
            return false;
        }

        return true;
    }
}

/// <summary>ProblemDetails helpers: every 4xx names the field and the fix.</summary>
public static class Problems
{
    public static ValidationProblem Validation(string field, string message) =>
        TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { [field] = [message] },
            title: "The request is not valid",
            detail: message);

    public static ValidationProblem Validation(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The request is not valid", detail: errors.First().Value[0]);

    /// <summary>The body of a validation problem, for places (batch items) that embed one in a larger response.</summary>
    public static HttpValidationProblemDetails ValidationDetails(IDictionary<string, string[]> errors) =>
        new(errors)
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The item is not valid",
            Detail = errors.First().Value[0],
            Type = "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        };
}
