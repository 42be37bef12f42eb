using System.Text.Json;
using Catalog.Api.Features.Cost;
using Catalog.Ledger;
using Catalog.Ledger.LiteDb;
using Catalog.Pricing;
using CsCheck;

namespace Catalog.Api.Tests.Ledger;

/// <summary>The LiteDB ledger's binary record form, and its in-memory index of ids: random records round-trip exactly; damage is an error, not a wrong record.</summary>
public sealed class UsageRecordCodecTests
{
    /// <summary>Text as the API can hold it: any Unicode text (a lone surrogate cannot come out of JSON, so it is not generated).</summary>
    private static readonly Gen<string> Texts = Gen.OneOf(
        Gen.Const(""),
        Gen.String.Select(s => System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF8.GetBytes(s))),
        Gen.String[Gen.Char.AlphaNumeric, 1, 40],
        Gen.OneOf("é \"quoted\"", "=SUM(A1)", "a,b\r\nc", "日本語", "emoji 🎉", "\u0000nul", new string('x', 5_000)));

    private static readonly Gen<string?> NullableTexts = Gen.Frequency((1, Gen.Const((string?)null)), (3, Texts.Select(t => (string?)t)));

    private static readonly Gen<decimal> Decimals = Gen.OneOf(
        Gen.Decimal,
        Gen.OneOf(0m, 0.00750m, -0.0075m, decimal.MaxValue, decimal.MinValue, 0.0000000000000000000000000001m, 79228162514264.337593543950m, 1.10m, -0m));

    private static readonly Gen<long> Longs = Gen.OneOf(Gen.Long, Gen.Long[0, 10_000_000], Gen.OneOf(0L, long.MaxValue, long.MinValue, -1L));

    private static readonly Gen<DateTimeOffset> Instants = Gen.Long[DateTimeOffset.MinValue.UtcTicks, DateTimeOffset.MaxValue.UtcTicks].Select(t => new DateTimeOffset(t, TimeSpan.Zero));

    private static readonly Gen<UsagePricing> Pricings =
        Gen.Select(NullableTexts, NullableTexts, Gen.Enum<PricingSource>(), Gen.Enum<TokenSource>(), Decimals.Array[7], Gen.Frequency((1, Gen.Const((long?)null)), (1, Longs.Select(l => (long?)l))), Texts)
            .Select((model, provider, source, tokens, costs, tier, version) =>
                new UsagePricing(model, provider, source, tokens, new UsageCost(costs[0], costs[1], costs[2], costs[3], costs[4], costs[5], tier, costs[6]), version));

    private static readonly Gen<UsageRecord> Records =
        Gen.Select(
            Gen.Select(Texts, Instants, Texts, NullableTexts, Longs.Array[5], Texts, Gen.OneOf<string?>(null, "{}", """{"prompt_tokens": 12, "z": [1, 2.50], "a": null}""", "[1]", "\"text\"", "7")),
            Gen.Select(Gen.Bool, Gen.Frequency((1, Gen.Const((long?)null)), (3, Longs.Select(l => (long?)l))), NullableTexts, NullableTexts, NullableTexts, NullableTexts),
            Gen.Dictionary(Texts, Texts)[0, 16],
            Gen.Select(Pricings, Gen.Frequency((3, Gen.Const((OriginalPricing?)null)), (1, Gen.Select(Pricings, Instants, (p, at) => (OriginalPricing?)new OriginalPricing(p, at))))),
            Gen.Select(Instants, Texts, Gen.Frequency((1, Gen.Const((decimal?)null)), (1, Decimals.Select(d => (decimal?)d)))),
            Gen.Select(Longs.Array[UsageCounts.MediaUnits.Length], NullableTexts, NullableTexts, Gen.Select(Texts, Longs, (field, count) => new UnpricedField(field, count)).Array[0, 4], NullableTexts))
        .Select((call, outcome, tags, pricing, received, dimensions) => new UsageRecord(
            call.Item1,
            call.Item2,
            call.Item3,
            call.Item4,
            new UsageCounts(call.Item5[0], call.Item5[1], call.Item5[2], call.Item5[3], call.Item5[4]).WithMedia(dimensions.Item1),
            call.Item6,
            call.Item7 is null ? null : JsonDocument.Parse(call.Item7).RootElement.Clone(),
            outcome.Item1 ? CallStatus.Error : CallStatus.Success,
            outcome.Item2,
            outcome.Item3,
            outcome.Item4,
            outcome.Item5,
            outcome.Item6,
            tags,
            pricing.Item1,
            pricing.Item2,
            received.Item1,
            received.Item2,
            received.Item3)
        {
            ServiceTier = dimensions.Item2,
            Region = dimensions.Item3,
            Unpriced = dimensions.Item4,
            KeyId = dimensions.Item5,
        });

    [Fact]
    public void Random_records_read_back_exactly()
    {
        Records.Sample(record =>
        {
            var bytes = UsageRecordCodec.Encode(record);
            var read = UsageRecordCodec.Decode(bytes);

            Assert.Equal(Describe(record), Describe(read));
            Assert.Equal(record.Id, UsageRecordCodec.Id(bytes));
            Assert.Equal(record.Timestamp.UtcTicks, UsageRecordCodec.Ticks(bytes));
        }, iter: 3_000);
    }

    [Fact]
    public void The_byte_level_filter_never_turns_away_a_record_that_matches()
    {
        // Filters made from the record's own fields (so many match) and from other text (so many do not).
        var cases = Gen.Select(Records, Gen.Int[0, 31], NullableTexts).Select((r, pick, other) => (Record: r, Filter: new UsageFilter(
            Model: (pick & 1) == 0 ? null : pick % 3 == 0 ? r.Pricing.ResolvedModel ?? other : r.Model,
            Provider: (pick & 2) == 0 ? null : pick % 5 == 0 ? other : r.Provider ?? r.Pricing.Provider,
            User: (pick & 4) == 0 ? null : pick % 7 == 0 ? other : r.User,
            Team: (pick & 8) == 0 ? null : r.Team,
            Endpoint: (pick & 16) == 0 ? null : pick % 3 == 1 ? other : r.Endpoint)));
        var matched = 0;
        cases.Sample(c =>
        {
            var bytes = UsageRecordCodec.Encode(c.Record);
            if (c.Filter.Matches(c.Record))
            {
                matched++;
                Assert.True(UsageRecordCodec.MayMatch(bytes, new Utf8Filter(c.Filter)));
            }
        }, iter: 5_000, threads: 1);

        Assert.True(matched > 1_000);
        var call = Records.Single();
        Assert.False(UsageRecordCodec.MayMatch(UsageRecordCodec.Encode(call with { User = "ann" }), new Utf8Filter(new UsageFilter(User: "bob"))));
        Assert.False(UsageRecordCodec.MayMatch(UsageRecordCodec.Encode(call with { User = null }), new Utf8Filter(new UsageFilter(User: ""))));
        Assert.True(UsageRecordCodec.MayMatch(UsageRecordCodec.Encode(call with { User = "" }), new Utf8Filter(new UsageFilter(User: ""))));
    }

    [Fact]
    public void A_block_gives_back_each_record_in_order()
    {
        Records.Array[0, 40].Sample(records =>
        {
            var block = UsageRecordCodec.Join([.. records.Select(UsageRecordCodec.Encode)]);
            var read = UsageRecordCodec.Split(block).Select(r => UsageRecordCodec.Decode(block.AsSpan(r.Offset, r.Length)));

            Assert.Equal(records.Select(Describe), read.Select(Describe));
        }, iter: 300);
    }

    [Fact]
    public void A_version_2_record_reads_as_a_text_only_call_in_no_tier_or_region()
    {
        Records.Sample(record =>
        {
            var (textOnly, bytes) = Version2(record);

            Assert.Equal(Describe(textOnly), Describe(UsageRecordCodec.Decode(bytes)));
        }, iter: 300);
    }

    [Fact]
    public void A_version_3_record_reads_as_a_call_recorded_without_a_key_id()
    {
        Records.Sample(record =>
        {
            var (withoutKey, version3) = Version3(record);

            Assert.Equal(Describe(withoutKey), Describe(UsageRecordCodec.Decode(version3)));
        }, iter: 300);
    }

    [Fact]
    public void The_csv_rows_written_from_the_bytes_are_the_rows_of_the_records_they_hold()
    {
        // Runs of rows through one writer, some repeating a record (the writer reuses the tags and unpriced cells of the row before),
        // in every stored version: version 1 is version 2 with the 1-hour cache writes kept beside the others.
        var runs = Gen.Select(Records.Array[1, 6], Gen.Int[0, 5], Gen.Int[1, 4]).Select((records, repeat, version) =>
            records.Select((record, i) => records[i % (repeat + 1)]).Select(record => version switch
            {
                1 => Version1(record),
                2 => Version2(record).Bytes,
                3 => Version3(record).Bytes,
                _ => UsageRecordCodec.Encode(record),
            }).ToArray());
        runs.Sample(stored =>
        {
            var writer = new UsageRecordCodec.CsvRowWriter(16);
            foreach (var bytes in stored)
            {
                UsageRecordCodec.WriteCsvRow(bytes, writer);
            }

            Assert.Equal(Csv(stored.Select(bytes => UsageRecordCodec.Decode(bytes))), UsageCsv.Header + "\r\n" + System.Text.Encoding.UTF8.GetString(writer.Rows.Written.Span));
        }, iter: 2_000, threads: 1);
    }

    [Fact]
    public void A_csv_row_of_damaged_bytes_is_an_error_never_a_different_row()
    {
        Gen.Select(Records, Gen.Int[0, 10_000], Gen.Byte).Sample((record, cut, value) =>
        {
            var bytes = UsageRecordCodec.Encode(record);
            Assert.Throws<InvalidDataException>(() => UsageRecordCodec.WriteCsvRow(bytes.AsSpan(0, cut % bytes.Length), new UsageRecordCodec.CsvRowWriter(16)));

            var other = (byte[])bytes.Clone();
            other[0] = value is >= 1 and <= 4 ? (byte)5 : value;
            Assert.Throws<InvalidDataException>(() => UsageRecordCodec.WriteCsvRow(other, new UsageRecordCodec.CsvRowWriter(16)));
        }, iter: 1_000);
    }

    [Fact]
    public void Damaged_bytes_are_an_error_never_a_different_record()
    {
        Gen.Select(Records, Gen.Int[0, 10_000], Gen.Byte).Sample((record, cut, value) =>
        {
            var bytes = UsageRecordCodec.Encode(record);
            Assert.Throws<InvalidDataException>(() => UsageRecordCodec.Decode(bytes.AsSpan(0, cut % bytes.Length)));

            var other = (byte[])bytes.Clone();
            other[0] = value is >= 1 and <= 4 ? (byte)5 : value;
            var error = Assert.Throws<InvalidDataException>(() => UsageRecordCodec.Decode(other));
            Assert.Contains("format version", error.Message);
        }, iter: 1_000);
    }

    [Fact]
    public void The_index_finds_every_block_that_may_hold_an_id_including_ids_that_share_32_bits()
    {
        var index = new BlockIndex();
        var random = new Random(5);
        var stored = new Dictionary<ulong, long>();
        for (var block = 1L; block <= 400; block++)
        {
            var hashes = Enumerable.Range(0, 50).Select(_ => (ulong)random.NextInt64()).ToArray();
            index.Add(new BlockSpan(block, block * 10, block * 10 + 5, hashes.Length), hashes);
            foreach (var hash in hashes)
            {
                stored[hash] = block;
            }
        }

        // Two more ids whose hashes agree in the 32 bits the index keeps (and differ below).
        index.Add(new BlockSpan(401, 0, 1, 1), [0xABCD_1234_0000_0001UL]);
        index.Add(new BlockSpan(402, 0, 1, 1), [0xABCD_1234_0000_0002UL]);

        foreach (var (hash, block) in stored)
        {
            var found = new List<long>();
            index.BlocksOf(hash, found);
            Assert.Contains(block, found);
        }

        var shared = new List<long>();
        index.BlocksOf(0xABCD_1234_FFFF_FFFFUL, shared);
        Assert.Equal([401L, 402L], shared.Order());
        Assert.Equal(403, index.NextBlock);
        Assert.Equal([40L, 39L], index.Overlapping(395, 400).Select(s => s.Block));
    }

    /// <summary>The record as version 2 could hold it (text only, no tier, region, tools cost or key), and its bytes in version 2.</summary>
    private static (UsageRecord Record, byte[] Bytes) Version2(UsageRecord record)
    {
        var textOnly = record with
        {
            Usage = record.Usage.WithMedia(new long[UsageCounts.MediaUnits.Length]),
            ServiceTier = null,
            Region = null,
            Unpriced = [],
            Pricing = record.Pricing with { Cost = record.Pricing.Cost with { ToolsUsd = 0 }, CatalogVersion = "version-2-marker" },
            Original = null,
            KeyId = null,
        };
        var bytes = UsageRecordCodec.Encode(textOnly).ToList();

        // Version 2 is version 4 without the tools cost after the catalogue version (a zero decimal: 4 bytes)
        // and without the trailing media counts, tier, region, unpriced list and key id (10 + 1 + 1 + 1 + 1 bytes when empty).
        var marker = System.Text.Encoding.UTF8.GetBytes("version-2-marker");
        var afterVersion = bytes.ToArray().AsSpan().IndexOf(marker) + marker.Length;
        bytes.RemoveRange(afterVersion, 4);
        bytes.RemoveRange(bytes.Count - 14, 14);
        bytes[0] = 2;
        return (textOnly, bytes.ToArray());
    }

    /// <summary>Version 2's bytes marked version 1 (which kept the 1-hour cache writes beside the other cache writes).</summary>
    private static byte[] Version1(UsageRecord record)
    {
        var bytes = Version2(record).Bytes;
        bytes[0] = 1;
        return bytes;
    }

    /// <summary>The record without a key id, and its bytes in version 3.</summary>
    private static (UsageRecord Record, byte[] Bytes) Version3(UsageRecord record)
    {
        var withoutKey = record with { KeyId = null };
        var bytes = UsageRecordCodec.Encode(withoutKey);

        // Version 3 is version 4 without the trailing key id (a null text: one byte).
        Assert.Equal(0, bytes[^1]);
        var version3 = bytes[..^1];
        version3[0] = 3;
        return (withoutKey, version3);
    }

    /// <summary>The CSV <see cref="UsageCsv"/> writes of <paramref name="records"/>.</summary>
    private static string Csv(IEnumerable<UsageRecord> records) =>
        LiteDbLedgerStoreTests.CsvAsync(LiteDbLedgerStoreTests.AsAsync(records)).GetAwaiter().GetResult();

    /// <summary>Every field, the usage as sent by its text, decimals with their scale.</summary>
    private static string Describe(UsageRecord r) => JsonSerializer.Serialize(new
    {
        r.Id,
        Timestamp = r.Timestamp.UtcTicks,
        r.Model,
        r.Provider,
        r.Usage,
        r.UsageShape,
        Sent = r.SentUsage?.GetRawText(),
        r.Status,
        r.LatencyMs,
        r.User,
        r.Team,
        r.App,
        r.Endpoint,
        Tags = r.Tags.ToArray(),
        Pricing = Describe(r.Pricing),
        Original = r.Original is { } o ? new { Pricing = Describe(o.Pricing), ReplacedAt = o.ReplacedAt.UtcTicks } : null,
        ReceivedAt = r.ReceivedAt.UtcTicks,
        r.Fingerprint,
        Reported = r.ReportedCostUsd?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        r.ServiceTier,
        r.Region,
        r.Unpriced,
        r.KeyId,
    });

    private static object Describe(UsagePricing p) => new
    {
        p.ResolvedModel,
        p.Provider,
        p.PricingSource,
        p.TokenSource,
        Costs = new[] { p.Cost.InputUsd, p.Cost.OutputUsd, p.Cost.CacheReadUsd, p.Cost.CacheWriteUsd, p.Cost.RequestUsd, p.Cost.TotalUsd, p.Cost.ToolsUsd }.Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        p.Cost.Tier,
        p.CatalogVersion,
    };
}
