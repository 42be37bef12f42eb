using Catalog.Pricing;
using Catalog.Pricing.Export;

namespace Catalog.Ledger.LiteDb;

/// <summary>The CSV row of a stored record, written from its bytes.</summary>
internal static partial class UsageRecordCodec
{
    /// <summary>
    /// Writes the <see cref="UsageCsv"/> row of the record <see cref="Encode"/> wrote, cell by cell from its stored UTF-8 and
    /// numbers, without decoding it: the same bytes as <see cref="UsageCsv"/> writes of <see cref="Decode"/>'s record. Only the
    /// tags and unpriced cells (JSON) are made from the decoded text, and only when they differ from the previous row's.
    /// </summary>
    /// <exception cref="InvalidDataException">The bytes are not a record of a known version.</exception>
    public static void WriteCsvRow(ReadOnlySpan<byte> bytes, CsvRowWriter writer)
    {
        var row = writer.Rows;
        var r = new Reader(bytes);
        var version = r.KnownVersion();

        var id = r.TextBytes();
        var ticks = r.Long();
        var model = r.TextBytes();
        var provider = r.NullableTextBytes(out _);
        var input = r.Long();
        var output = r.Long();
        var cacheRead = r.Long();
        var cacheWrite = r.Long();
        var cacheWrite1h = r.Long();
        if (version == WritesBeside1h)
        {
            cacheWrite += cacheWrite1h;
        }

        r.TextBytes(); // usage shape
        r.NullableTextBytes(out _); // usage as sent
        var error = r.Byte() == 1;
        var latency = r.NullableLong();
        var user = r.NullableTextBytes(out _);
        var team = r.NullableTextBytes(out _);
        var app = r.NullableTextBytes(out _);
        var endpoint = r.NullableTextBytes(out _);
        var tagsAt = r.Position;
        var tagCount = r.Long();
        for (var i = 0; i < tagCount * 2; i++)
        {
            r.TextBytes();
        }

        var storedTags = bytes[tagsAt..r.Position];

        var pricing = StoredPricing.Read(ref r, version);
        var hasOriginal = r.Byte() == 1;
        var original = hasOriginal ? StoredPricing.Read(ref r, version) : default;
        if (hasOriginal)
        {
            r.Long(); // replaced at
        }

        r.Long(); // received at
        r.TextBytes(); // fingerprint
        decimal? reported = r.Byte() == 1 ? r.Decimal() : null;

        row.Text(id);
        row.Timestamp(ticks);
        row.Text(model);
        row.Text(provider);
        row.Text(pricing.ResolvedModel);
        row.Text(pricing.Provider);
        row.Text(pricing.PricingSource);
        row.Text(pricing.TokenSource);
        row.Number(input);
        row.Number(output);
        row.Number(cacheRead);
        row.Number(cacheWrite);
        row.Number(cacheWrite1h);
        row.Decimal(pricing.InputUsd);
        row.Decimal(pricing.OutputUsd);
        row.Decimal(pricing.CacheReadUsd);
        row.Decimal(pricing.CacheWriteUsd);
        row.Decimal(pricing.RequestUsd);
        row.Decimal(pricing.TotalUsd);
        row.Text(pricing.CatalogVersion);
        row.Plain(error ? "error"u8 : "success"u8);
        row.Number(latency);
        row.Text(user);
        row.Text(team);
        row.Text(app);
        row.Text(endpoint);
        writer.Tags.Write(row, tagCount == 0 ? default : storedTags, static stored => UsageCsv.Tags(Tags(stored)));

        if (hasOriginal)
        {
            row.Decimal(original.TotalUsd);
            row.Text(original.CatalogVersion);
        }
        else
        {
            row.Empty();
            row.Empty();
        }

        row.Decimal(reported);
        if (version < WithoutKeyId)
        {
            for (var i = 0; i < UsageCounts.MediaUnits.Length; i++)
            {
                row.Number(0);
            }

            row.Decimal(pricing.ToolsUsd);
            row.Empty(); // service tier
            row.Empty(); // region
            row.Empty(); // unpriced
            row.Empty(); // key id
            row.EndRow();
            return;
        }

        for (var i = 0; i < UsageCounts.MediaUnits.Length; i++)
        {
            row.Number(r.Long());
        }

        row.Decimal(pricing.ToolsUsd);
        row.Text(r.NullableTextBytes(out _)); // service tier
        row.Text(r.NullableTextBytes(out _)); // region
        var unpricedAt = r.Position;
        var unpricedCount = r.Long();
        if (unpricedCount < 0 || unpricedCount > bytes.Length)
        {
            throw new InvalidDataException("A stored usage record has a malformed count of unpriced fields.");
        }

        for (var i = 0; i < unpricedCount; i++)
        {
            r.TextBytes();
            r.Long();
        }

        writer.Unpriced.Write(row, unpricedCount == 0 ? default : bytes[unpricedAt..r.Position], static stored => UsageCsv.Unpriced(Unpriced(stored)));

        row.Text(version >= Version ? r.NullableTextBytes(out _) : default);
        row.EndRow();
    }

    /// <summary>The UTF-8 of the id of the record <see cref="Encode"/> wrote, without reading the rest.</summary>
    public static ReadOnlySpan<byte> IdBytes(ReadOnlySpan<byte> bytes)
    {
        var r = new Reader(bytes);
        r.Byte();
        return r.TextBytes();
    }

    /// <summary>Stored tags (their count, then each key and value), read as <see cref="Decode"/> reads them.</summary>
    private static Dictionary<string, string> Tags(ReadOnlySpan<byte> stored)
    {
        var r = new Reader(stored);
        var count = (int)r.Long();
        var tags = new Dictionary<string, string>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            tags[r.Text()] = r.Text();
        }

        return tags;
    }

    /// <summary>Stored unpriced fields (their count, then each field and count), read as <see cref="Decode"/> reads them.</summary>
    private static UnpricedField[] Unpriced(ReadOnlySpan<byte> stored)
    {
        var r = new Reader(stored);
        var unpriced = new UnpricedField[r.Long()];
        for (var i = 0; i < unpriced.Length; i++)
        {
            unpriced[i] = new UnpricedField(r.Text(), r.Long());
        }

        return unpriced;
    }

    /// <summary>A stored pricing's cells, its text as the stored UTF-8 (an empty span for a null, which a CSV cell shows the same).</summary>
    private ref struct StoredPricing
    {
        public ReadOnlySpan<byte> ResolvedModel;
        public ReadOnlySpan<byte> Provider;
        public ReadOnlySpan<byte> PricingSource;
        public ReadOnlySpan<byte> TokenSource;
        public decimal InputUsd;
        public decimal OutputUsd;
        public decimal CacheReadUsd;
        public decimal CacheWriteUsd;
        public decimal RequestUsd;
        public decimal TotalUsd;
        public ReadOnlySpan<byte> CatalogVersion;
        public decimal ToolsUsd;

        /// <summary>Reads what <see cref="Writer.Pricing"/> wrote; a source that is not a known wire name is an error, as it is to <see cref="Decode"/>.</summary>
        public static StoredPricing Read(ref Reader r, byte version)
        {
            var p = new StoredPricing
            {
                ResolvedModel = r.NullableTextBytes(out _),
                Provider = r.NullableTextBytes(out _),
                PricingSource = r.TextBytes(),
                TokenSource = r.TextBytes(),
                InputUsd = r.Decimal(),
                OutputUsd = r.Decimal(),
                CacheReadUsd = r.Decimal(),
                CacheWriteUsd = r.Decimal(),
                RequestUsd = r.Decimal(),
                TotalUsd = r.Decimal(),
            };
            r.NullableLong(); // tier
            p.CatalogVersion = r.TextBytes();
            p.ToolsUsd = version >= 3 ? r.Decimal() : 0m;
            if (!StoredNames.IsPricingSource(p.PricingSource) || !StoredNames.IsTokenSource(p.TokenSource))
            {
                throw new InvalidDataException("A stored usage record has a pricing or token source this build does not know.");
            }

            return p;
        }
    }

    /// <summary>What writes CSV rows of stored records (<see cref="WriteCsvRow"/>): the rows, and the JSON cells of the row before.</summary>
    public sealed class CsvRowWriter(int capacity)
    {
        public CsvBytes Rows { get; } = new(capacity);

        public RepeatedCell Tags { get; } = new();

        public RepeatedCell Unpriced { get; } = new();
    }

    /// <summary>The text of a cell made from stored bytes.</summary>
    public delegate string CellText(ReadOnlySpan<byte> stored);

    /// <summary>A cell made from stored bytes, kept with them: the next row with the same bytes has the same cell (calls of one app often carry the same tags).</summary>
    public sealed class RepeatedCell
    {
        private byte[] _stored = [];
        private byte[] _cell = [];

        /// <summary>Writes the cell of <paramref name="stored"/> (empty when there are none), made by <paramref name="text"/> unless the last one written was of the same bytes.</summary>
        public void Write(CsvBytes row, ReadOnlySpan<byte> stored, CellText text)
        {
            if (stored.IsEmpty)
            {
                row.Empty();
                return;
            }

            if (!stored.SequenceEqual(_stored))
            {
                _cell = System.Text.Encoding.UTF8.GetBytes(text(stored));
                _stored = stored.ToArray();
            }

            row.Text(_cell);
        }
    }
}
