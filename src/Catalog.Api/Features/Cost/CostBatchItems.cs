using System.Buffers;
using System.Text.Json;
using Catalog.Api.Http;
using Catalog.Pricing;

namespace Catalog.Api.Features.Cost;

/// <summary>One item of a cost batch: a call read by the fast reader, or the JSON of an item left to <see cref="PricingRequestReader"/>.</summary>
internal struct CostBatchItem
{
    /// <summary>The item as JSON when it is read the general way (anything the fast reader does not answer for), else null.</summary>
    public JsonElement? Json;

    /// <summary>The model name (never null for an item read by the fast reader).</summary>
    public string? Model;
    public string? Provider;
    public DateTimeOffset? Timestamp;
    public TokenUsage Usage;
    public UsageShape Shape;

    /// <summary>The item's own service_tier and region.</summary>
    public string? ServiceTier;
    public string? Region;

    /// <summary>The service tier and region the usage reports (Anthropic's service_tier and inference_geo).</summary>
    public string? UsageServiceTier;
    public string? UsageRegion;

    /// <summary>The cost of a call read by the fast reader, as <see cref="CostApi.Price"/> prices a <see cref="PricingRequest"/>.</summary>
    public readonly CostBreakdown Price(PricingEngine engine, DateTimeOffset now) =>
        engine.Price(Model!, Provider, Usage, Timestamp ?? now, ServiceTier ?? UsageServiceTier, Region ?? UsageRegion);
}

/// <summary>
/// The items of a <c>POST /v1/cost/batch</c> body, read in one pass of a <see cref="Utf8JsonReader"/> over its bytes:
/// no document of the whole body, no strings for field names, and the names the calls repeat found by their bytes
/// (<see cref="Utf8Names"/>). A plain item (known fields, each once, ASCII names, a timestamp in ISO 8601, usage in the
/// canonical, OpenAI or Anthropic shape without anything unpriced: see <see cref="UsageFastReader"/>) is read here;
/// any other item is parsed on its own into a document and read by <see cref="PricingRequestReader"/>, so its answer,
/// problem or warning is the general reader's word for word. A body this reader cannot take whole (not JSON, not
/// <c>{"items": [...]}</c>, over the item limit, a repeated field or text that is not Unicode anywhere) is left to the
/// general path, which says what is wrong exactly as before.
/// </summary>
internal sealed class CostBatchItems : IDisposable
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 32 };

    private CostBatchItem[] _items;
    private readonly List<JsonDocument> _documents = [];

    private CostBatchItems(int capacity) => _items = ArrayPool<CostBatchItem>.Shared.Rent(capacity);

    public int Count { get; private set; }

    public ref CostBatchItem this[int index] => ref _items[index];

    /// <summary>The items of a body already parsed into a document (the general path): each read by <see cref="PricingRequestReader"/>.</summary>
    public static CostBatchItems FromJson(JsonElement items)
    {
        var batch = new CostBatchItems(items.GetArrayLength());
        foreach (var item in items.EnumerateArray())
        {
            batch.Add().Json = item;
        }

        return batch;
    }

    /// <summary>The items of <paramref name="body"/>, or null when the body must go the general way (see the class).</summary>
    public static CostBatchItems? TryRead(ReadOnlyMemory<byte> body, DateTimeOffset now)
    {
        var batch = new CostBatchItems(256);
        try
        {
            if (batch.TryReadAll(body, now))
            {
                return batch;
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Not JSON, or not JSON a request may carry: the general path words the problem.
        }

        batch.Dispose();
        return null;
    }

    /// <summary>The body of one call (<c>POST /v1/cost</c>) read as a plain batch item is; false for anything else, which the general reader reads.</summary>
    public static bool TryReadOne(ReadOnlySpan<byte> body, DateTimeOffset now, out CostBatchItem item)
    {
        item = default;
        try
        {
            var reader = new Utf8JsonReader(body, ReaderOptions);
            if (reader.Read() && TryReadItem(ref reader, now, ref item) && !reader.Read())
            {
                return true;
            }
        }
        catch (JsonException)
        {
            // Not JSON: the general path words the problem.
        }

        item = default;
        return false;
    }

    private bool TryReadAll(ReadOnlyMemory<byte> body, DateTimeOffset now)
    {
        var reader = new Utf8JsonReader(body.Span, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject
            || !reader.Read() || reader.TokenType != JsonTokenType.PropertyName || reader.ValueIsEscaped || !reader.ValueSpan.SequenceEqual("items"u8)
            || !reader.Read() || reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (Count == BatchEnvelope.MaxItems)
            {
                return false;
            }

            var start = reader;
            ref var item = ref Add();
            if (!TryReadItem(ref reader, now, ref item))
            {
                // Read again the general way, from the item's own bytes: a repeated field or text that is not Unicode throws, and the body goes the general way.
                reader = start;
                item = default;
                var from = (int)reader.TokenStartIndex;
                reader.Skip();
                var document = JsonBody.Parse(body[from..(int)reader.BytesConsumed]);
                _documents.Add(document);
                item.Json = document.RootElement;
            }
        }

        // Nothing after the items: another field of the envelope (or "items" again) is the general path's error.
        return reader.Read() && reader.TokenType == JsonTokenType.EndObject && !reader.Read();
    }

    private ref CostBatchItem Add()
    {
        if (Count == _items.Length)
        {
            var larger = ArrayPool<CostBatchItem>.Shared.Rent(_items.Length * 2);
            _items.AsSpan(0, Count).CopyTo(larger);
            ArrayPool<CostBatchItem>.Shared.Return(_items, clearArray: true);
            _items = larger;
        }

        return ref _items[Count++];
    }

    private enum ItemField
    {
        Model,
        Provider,
        Timestamp,
        Usage,
        ServiceTier,
        Region,
    }

    /// <summary>A plain item into <paramref name="item"/>; false for anything else (then <paramref name="item"/> is partly filled, and the reader inside the item).</summary>
    private static bool TryReadItem(ref Utf8JsonReader reader, DateTimeOffset now, ref CostBatchItem item)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        var seen = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = reader.ValueIsEscaped ? -1 : FieldOf(reader.ValueSpan);
            if (field < 0 || (seen & (1 << field)) != 0 || !reader.Read())
            {
                return false;
            }

            seen |= 1 << field;
            var ok = (ItemField)field switch
            {
                ItemField.Model => TryName(ref reader, out item.Model) && item.Model is not null,
                ItemField.Provider => TryName(ref reader, out item.Provider),
                ItemField.ServiceTier => TryName(ref reader, out item.ServiceTier),
                ItemField.Region => TryName(ref reader, out item.Region),
                ItemField.Timestamp => TryTimestamp(ref reader, now, out item.Timestamp),
                _ => TryUsage(ref reader, ref item),
            };
            if (!ok)
            {
                return false;
            }
        }

        return (seen & (1 << (int)ItemField.Model)) != 0;
    }

    private static int FieldOf(ReadOnlySpan<byte> name) =>
        name.SequenceEqual("model"u8) ? (int)ItemField.Model
        : name.SequenceEqual("provider"u8) ? (int)ItemField.Provider
        : name.SequenceEqual("timestamp"u8) ? (int)ItemField.Timestamp
        : name.SequenceEqual("usage"u8) ? (int)ItemField.Usage
        : name.SequenceEqual("service_tier"u8) ? (int)ItemField.ServiceTier
        : name.SequenceEqual("region"u8) ? (int)ItemField.Region
        : -1;

    /// <summary>As <see cref="PricingRequestReader.Text"/> reads a name, for printable ASCII without escapes: null or missing is null, spaces trimmed, empty is null.</summary>
    private static bool TryName(ref Utf8JsonReader reader, out string? name)
    {
        name = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
        {
            return false;
        }

        var text = reader.ValueSpan;
        if (!Utf8Names.IsPrintableAscii(text))
        {
            return false;
        }

        text = text.Trim((byte)' ');
        if (text.Length > PricingRequestReader.MaxNameLength)
        {
            return false;
        }

        name = text.IsEmpty ? null : Utf8Names.Get(text);
        return true;
    }

    /// <summary>As <see cref="PricingRequestReader.Timestamp"/> reads an ISO 8601 time from the year 2000 on, not in the future; other forms go the general way.</summary>
    private static bool TryTimestamp(ref Utf8JsonReader reader, DateTimeOffset now, out DateTimeOffset? timestamp)
    {
        timestamp = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
        {
            return false;
        }

        DateTimeOffset parsed;
        if (reader.TryGetDateTime(out var time) && time.Kind != DateTimeKind.Local)
        {
            parsed = new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc));
        }
        else if (reader.TryGetDateTimeOffset(out parsed))
        {
            parsed = parsed.ToUniversalTime();
        }
        else
        {
            return false;
        }

        if (parsed.Year < 2000 || parsed > now + PricingRequestReader.MaxClockSkew)
        {
            return false;
        }

        timestamp = parsed;
        return true;
    }

    private static bool TryUsage(ref Utf8JsonReader reader, ref CostBatchItem item)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.StartObject || !UsageFastReader.TryRead(ref reader, out var usage))
        {
            return false;
        }

        item.Usage = usage.Usage;
        item.Shape = usage.Shape;
        item.UsageServiceTier = usage.ServiceTier;
        item.UsageRegion = usage.Region;
        return true;
    }

    public void Dispose()
    {
        foreach (var document in _documents)
        {
            document.Dispose();
        }

        _documents.Clear();
        ArrayPool<CostBatchItem>.Shared.Return(_items, clearArray: true);
        _items = [];
    }
}
