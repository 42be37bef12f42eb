using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Catalog.Pricing;

namespace Catalog.Ledger.LiteDb;

/// <summary>
/// The ledger's binary form of a record: self-contained bytes (a version byte, then every field in a
/// fixed order; strings as UTF-8 with their length, whole numbers as varints, decimals as their exact
/// bits) that round-trip a <see cref="UsageRecord"/> exactly as the store returns it (times in UTC to
/// the tick). A block is the records' bytes one after the other, each behind its length.
/// </summary>
internal static partial class UsageRecordCodec
{
    /// <summary>The format of one record. A new field gets a new version; <see cref="Decode"/> keeps reading the old ones.</summary>
    private const byte Version = 4;

    /// <summary>Version 3 had no API key id (none).</summary>
    private const byte WithoutKeyId = 3;

    /// <summary>Version 1 kept the 1-hour cache writes beside the other cache writes; since 2 cache writes include them.</summary>
    private const byte WritesBeside1h = 1;

    /// <summary>Version 2 had no media, reasoning or search counts, service tier, region, unpriced fields or tools cost (all zero or none).</summary>
    private const byte TextOnly = 2;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _buffer;

    /// <summary>The bytes of <paramref name="record"/>.</summary>
    public static byte[] Encode(UsageRecord record)
    {
        var buffer = _buffer ??= new ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        var w = new Writer(buffer);
        w.Byte(Version);
        w.Text(record.Id);
        w.Long(record.Timestamp.UtcTicks);
        w.Text(record.Model);
        w.NullableText(record.Provider);
        w.Long(record.Usage.InputTokens);
        w.Long(record.Usage.OutputTokens);
        w.Long(record.Usage.CacheReadTokens);
        w.Long(record.Usage.CacheWriteTokens);
        w.Long(record.Usage.CacheWrite1hTokens);
        w.Text(record.UsageShape);
        if (record.SentUsage is { } sent)
        {
            // The usage's text as sent is its raw UTF-8: the same bytes as its text encoded, without the string.
            w.NullableUtf8(JsonMarshal.GetRawUtf8Value(sent));
        }
        else
        {
            w.NullableText(null);
        }

        w.Byte(record.Status == CallStatus.Error ? (byte)1 : (byte)0);
        w.NullableLong(record.LatencyMs);
        w.NullableText(record.User);
        w.NullableText(record.Team);
        w.NullableText(record.App);
        w.NullableText(record.Endpoint);
        w.Long(record.Tags.Count);
        foreach (var (key, value) in record.Tags)
        {
            w.Text(key);
            w.Text(value);
        }

        w.Pricing(record.Pricing, Version);
        if (record.Original is { } original)
        {
            w.Byte(1);
            w.Pricing(original.Pricing, Version);
            w.Long(original.ReplacedAt.UtcTicks);
        }
        else
        {
            w.Byte(0);
        }

        w.Long(record.ReceivedAt.UtcTicks);
        w.Text(record.Fingerprint);
        if (record.ReportedCostUsd is { } reported)
        {
            w.Byte(1);
            w.Decimal(reported);
        }
        else
        {
            w.Byte(0);
        }

        foreach (var unit in UsageCounts.MediaUnits)
        {
            w.Long(record.Usage[unit]);
        }

        w.NullableText(record.ServiceTier);
        w.NullableText(record.Region);
        w.Long(record.Unpriced.Count);
        foreach (var unpriced in record.Unpriced)
        {
            w.Text(unpriced.Field);
            w.Long(unpriced.Count);
        }

        w.NullableText(record.KeyId);
        var bytes = buffer.WrittenSpan.ToArray();
        if (buffer.Capacity > 64 * 1024)
        {
            _buffer = null; // one huge record does not pin a huge buffer to the thread
        }

        return bytes;
    }

    /// <summary>Reads the record <see cref="Encode"/> wrote.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a record of a known version.</exception>
    public static UsageRecord Decode(ReadOnlySpan<byte> bytes)
    {
        var r = new Reader(bytes);
        var version = r.KnownVersion();
        var id = r.Text();
        var timestamp = r.Utc();
        var model = r.Text();
        var provider = r.NullableText();
        var usage = new UsageCounts(r.Long(), r.Long(), r.Long(), r.Long(), r.Long());
        if (version == WritesBeside1h)
        {
            usage = usage with { CacheWriteTokens = usage.CacheWriteTokens + usage.CacheWrite1hTokens };
        }

        var shape = r.Text();
        // Parsed from its stored UTF-8 into an element that owns its bytes: no string of it, no second document to clone.
        var sentBytes = r.NullableTextBytes(out var hasSent);
        JsonElement? sentUsage = hasSent ? JsonElement.Parse(sentBytes) : null;
        var status = r.Byte() == 1 ? CallStatus.Error : CallStatus.Success;
        var latency = r.NullableLong();
        var user = r.NullableText();
        var team = r.NullableText();
        var app = r.NullableText();
        var endpoint = r.NullableText();
        var tagCount = (int)r.Long();
        var tags = new Dictionary<string, string>(tagCount, StringComparer.Ordinal);
        for (var i = 0; i < tagCount; i++)
        {
            tags[r.Text()] = r.Text();
        }

        var pricing = r.Pricing(version);
        var original = r.Byte() == 1 ? new OriginalPricing(r.Pricing(version), r.Utc()) : null;
        var receivedAt = r.Utc();
        var fingerprint = r.Text();
        decimal? reported = r.Byte() == 1 ? r.Decimal() : null;
        string? serviceTier = null;
        string? region = null;
        UnpricedField[] unpriced = [];
        string? keyId = null;
        if (version >= WithoutKeyId)
        {
            Span<long> media = stackalloc long[UsageCounts.MediaUnits.Length];
            for (var i = 0; i < media.Length; i++)
            {
                media[i] = r.Long();
            }

            usage = usage.WithMedia(media);
            serviceTier = r.NullableText();
            region = r.NullableText();
            var unpricedCount = r.Long();
            if (unpricedCount < 0 || unpricedCount > bytes.Length)
            {
                throw new InvalidDataException("A stored usage record has a malformed count of unpriced fields.");
            }

            unpriced = new UnpricedField[unpricedCount];
            for (var i = 0; i < unpriced.Length; i++)
            {
                unpriced[i] = new UnpricedField(r.Text(), r.Long());
            }

            keyId = version >= Version ? r.NullableText() : null;
        }

        return new UsageRecord(
            id,
            timestamp,
            model,
            provider,
            usage,
            shape,
            sentUsage,
            status,
            latency,
            user,
            team,
            app,
            endpoint,
            tags,
            pricing,
            original,
            receivedAt,
            fingerprint,
            reported)
        {
            ServiceTier = serviceTier,
            Region = region,
            Unpriced = unpriced,
            KeyId = keyId,
        };
    }

    /// <summary>The id of the record <see cref="Encode"/> wrote, without reading the rest.</summary>
    public static string Id(ReadOnlySpan<byte> bytes)
    {
        var r = new Reader(bytes);
        r.Byte();
        return r.Text();
    }

    /// <summary>The timestamp (UTC ticks) of the record <see cref="Encode"/> wrote, without reading the rest.</summary>
    public static long Ticks(ReadOnlySpan<byte> bytes)
    {
        var r = new Reader(bytes);
        r.Byte();
        r.Skip((int)r.Long());
        return r.Long();
    }

    /// <summary>
    /// False when the record <see cref="Encode"/> wrote cannot match <paramref name="filter"/>'s model,
    /// provider, user, team or endpoint: a comparison of the stored UTF-8 bytes, without decoding the
    /// record. True means "decode and check": equal strings have equal UTF-8, so nothing that matches is
    /// ever turned away here.
    /// </summary>
    public static bool MayMatch(ReadOnlySpan<byte> bytes, Utf8Filter filter)
    {
        if (filter.IsEmpty)
        {
            return true;
        }

        var r = new Reader(bytes);
        r.Byte();
        r.Skip((int)r.Long()); // id
        r.Long(); // timestamp
        var model = r.TextBytes();
        var provider = r.NullableTextBytes(out var hasProvider);
        for (var i = 0; i < 5; i++)
        {
            r.Long();
        }

        r.Skip((int)r.Long()); // shape
        r.NullableTextBytes(out _); // sent usage
        r.Byte(); // status
        r.NullableLong();
        var user = r.NullableTextBytes(out var hasUser);
        var team = r.NullableTextBytes(out var hasTeam);
        r.NullableTextBytes(out _); // app
        var endpoint = r.NullableTextBytes(out var hasEndpoint);
        if (!Same(filter.User, user, hasUser) || !Same(filter.Team, team, hasTeam) || !Same(filter.Endpoint, endpoint, hasEndpoint))
        {
            return false;
        }

        if (filter.Model is null && filter.Provider is null)
        {
            return true;
        }

        var tags = r.Long();
        for (var i = 0; i < tags * 2; i++)
        {
            r.Skip((int)r.Long());
        }

        var resolvedModel = r.NullableTextBytes(out var hasResolvedModel);
        var pricedProvider = r.NullableTextBytes(out var hasPricedProvider);
        return (Same(filter.Model, model, true) || Same(filter.Model, resolvedModel, hasResolvedModel))
            && (Same(filter.Provider, provider, hasProvider) || Same(filter.Provider, pricedProvider, hasPricedProvider));

        static bool Same(byte[]? wanted, ReadOnlySpan<byte> stored, bool present) => wanted is null || (present && stored.SequenceEqual(wanted));
    }

    /// <summary>A block: the count, then each record's bytes behind their length.</summary>
    public static byte[] Join(IReadOnlyList<byte[]> records)
    {
        var length = 5;
        foreach (var record in records)
        {
            length += 5 + record.Length;
        }

        var block = new ArrayBufferWriter<byte>(length);
        var w = new Writer(block);
        w.Long(records.Count);
        foreach (var record in records)
        {
            w.Long(record.Length);
            w.Bytes(record);
        }

        return block.WrittenSpan.ToArray();
    }

    /// <summary>The records of a block made by <see cref="Join"/>, as (offset, length) into it.</summary>
    public static (int Offset, int Length)[] Split(ReadOnlySpan<byte> block)
    {
        var r = new Reader(block);
        var records = new (int, int)[(int)r.Long()];
        for (var i = 0; i < records.Length; i++)
        {
            var length = (int)r.Long();
            records[i] = (r.Position, length);
            r.Skip(length);
        }

        return records;
    }

    private ref struct Writer(IBufferWriter<byte> output)
    {
        public readonly void Byte(byte value)
        {
            output.GetSpan(1)[0] = value;
            output.Advance(1);
        }

        public readonly void Bytes(ReadOnlySpan<byte> value)
        {
            value.CopyTo(output.GetSpan(value.Length));
            output.Advance(value.Length);
        }

        /// <summary>Zig-zag, then 7 bits a byte: small numbers of either sign take a byte or two.</summary>
        public readonly void Long(long value)
        {
            var v = (ulong)((value << 1) ^ (value >> 63));
            var span = output.GetSpan(10);
            var n = 0;
            while (v >= 0x80)
            {
                span[n++] = (byte)(v | 0x80);
                v >>= 7;
            }

            span[n++] = (byte)v;
            output.Advance(n);
        }

        public readonly void NullableLong(long? value)
        {
            Byte(value is null ? (byte)0 : (byte)1);
            if (value is { } v)
            {
                Long(v);
            }
        }

        public readonly void Text(string value) => Text(value, 0);

        /// <summary>Length + 1 (0 for null), then the text.</summary>
        public readonly void NullableText(string? value)
        {
            if (value is null)
            {
                Long(0);
            }
            else
            {
                Text(value, 1);
            }
        }

        /// <summary>As <see cref="NullableText"/> for text already in UTF-8.</summary>
        public readonly void NullableUtf8(ReadOnlySpan<byte> value)
        {
            Long(value.Length + 1);
            value.CopyTo(output.GetSpan(value.Length));
            output.Advance(value.Length);
        }

        private readonly void Text(string value, int lengthOffset)
        {
            var length = Encoding.UTF8.GetByteCount(value);
            Long(length + lengthOffset);
            Encoding.UTF8.GetBytes(value, output.GetSpan(length));
            output.Advance(length);
        }

        /// <summary>The decimal's exact bits (scale and sign, then the 96-bit mantissa as two varints): 0.00750 stays 0.00750.</summary>
        public readonly void Decimal(decimal value)
        {
            Span<int> bits = stackalloc int[4];
            decimal.GetBits(value, bits);
            Byte((byte)((bits[3] >> 16) & 0xFF));
            Byte((byte)(bits[3] < 0 ? 1 : 0));
            Long((long)(((ulong)(uint)bits[1] << 32) | (uint)bits[0]));
            Long((uint)bits[2]);
        }

        public readonly void Pricing(UsagePricing p, byte version)
        {
            NullableText(p.ResolvedModel);
            NullableText(p.Provider);
            Text(p.PricingSource.ToWire());
            Text(p.TokenSource.ToWire());
            Decimal(p.Cost.InputUsd);
            Decimal(p.Cost.OutputUsd);
            Decimal(p.Cost.CacheReadUsd);
            Decimal(p.Cost.CacheWriteUsd);
            Decimal(p.Cost.RequestUsd);
            Decimal(p.Cost.TotalUsd);
            NullableLong(p.Cost.Tier);
            Text(p.CatalogVersion);
            if (version >= 3)
            {
                Decimal(p.Cost.ToolsUsd);
            }
        }
    }

    private ref struct Reader(ReadOnlySpan<byte> input)
    {
        private readonly ReadOnlySpan<byte> _input = input;

        public int Position { get; private set; }

        public byte Byte()
        {
            if (Position >= _input.Length)
            {
                throw Truncated();
            }

            return _input[Position++];
        }

        public void Skip(int length)
        {
            if (length < 0 || Position + length > _input.Length)
            {
                throw Truncated();
            }

            Position += length;
        }

        public long Long()
        {
            ulong v = 0;
            for (var shift = 0; shift < 70; shift += 7)
            {
                var b = Byte();
                v |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return (long)(v >> 1) ^ -(long)(v & 1);
                }
            }

            throw new InvalidDataException("A stored usage record has a malformed number.");
        }

        public long? NullableLong() => Byte() == 0 ? null : Long();

        /// <summary>The record's format version (its first byte).</summary>
        /// <exception cref="InvalidDataException">Not a version this build reads.</exception>
        public byte KnownVersion()
        {
            var version = Byte();
            return version is Version or WithoutKeyId or TextOnly or WritesBeside1h
                ? version
                : throw new InvalidDataException($"A stored usage record has format version {version}; this build reads version {Version}. Run a newer build of Catalog on this database.");
        }

        public ReadOnlySpan<byte> TextBytes()
        {
            var length = (int)Long();
            var start = Position;
            Skip(length);
            return _input.Slice(start, length);
        }

        public ReadOnlySpan<byte> NullableTextBytes(out bool present)
        {
            var length = Long();
            present = length != 0;
            if (!present)
            {
                return default;
            }

            var start = Position;
            Skip((int)(length - 1));
            return _input.Slice(start, (int)(length - 1));
        }

        public string Text() => Utf8((int)Long());

        public string? NullableText()
        {
            var length = Long();
            return length == 0 ? null : Utf8((int)(length - 1));
        }

        public DateTimeOffset Utc() => new(Long(), TimeSpan.Zero);

        public decimal Decimal()
        {
            var scale = Byte();
            var negative = Byte() == 1;
            var low = (ulong)Long();
            var high = (uint)Long();
            return new decimal((int)(uint)low, (int)(uint)(low >> 32), (int)high, negative, scale);
        }

        /// <summary>A pricing; since version 3 its cost ends with the tools cost.</summary>
        public UsagePricing Pricing(byte version)
        {
            var pricing = new UsagePricing(
                NullableText(),
                NullableText(),
                StoredNames.PricingSource(Text()),
                StoredNames.TokenSource(Text()),
                new UsageCost(Decimal(), Decimal(), Decimal(), Decimal(), Decimal(), Decimal(), NullableLong()),
                Text());
            return version >= 3 ? pricing with { Cost = pricing.Cost with { ToolsUsd = Decimal() } } : pricing;
        }

        private string Utf8(int length)
        {
            var start = Position;
            Skip(length);
            return Encoding.UTF8.GetString(_input.Slice(start, length));
        }

        private static InvalidDataException Truncated() => new("A stored usage record is truncated.");
    }
}

/// <summary>The text fields of a <see cref="UsageFilter"/> as UTF-8, made once per read, for <see cref="UsageRecordCodec.MayMatch"/>.</summary>
internal sealed class Utf8Filter(UsageFilter filter)
{
    public byte[]? Model { get; } = Utf8(filter.Model);

    public byte[]? Provider { get; } = Utf8(filter.Provider);

    public byte[]? User { get; } = Utf8(filter.User);

    public byte[]? Team { get; } = Utf8(filter.Team);

    public byte[]? Endpoint { get; } = Utf8(filter.Endpoint);

    public bool IsEmpty => Model is null && Provider is null && User is null && Team is null && Endpoint is null;

    private static byte[]? Utf8(string? text) => text is null ? null : Encoding.UTF8.GetBytes(text);
}
