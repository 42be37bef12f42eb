using System.Text;
using System.Text.Json;
using Catalog.Api.Features.Cost;
using Catalog.Api.Http;
using Catalog.Api.Tests.Ledger;
using Catalog.Pricing;
using CsCheck;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Api.Tests;

/// <summary>
/// The cost path writes its answer by hand (<see cref="CostJson"/>); the contract is the <see cref="CostResponse"/> record.
/// Both must give the same bytes for every call, so a field added to the record and not to the writer fails here.
/// </summary>
public sealed class CostJsonTests(LedgerApiFactory factory) : IClassFixture<LedgerApiFactory>
{
    private readonly PricingEngine _engine = factory.Services.GetRequiredService<PricingEngine>();
    private readonly CostJson _json = factory.Services.GetRequiredService<CostJson>();

    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    internal static readonly string[] Models = ["my-chatbot", "claude-sonnet-4-5", "claude-sonnet-4-5-20250929", "gpt-4o", "gpt-4o-mini", "gemini-2.5-pro", "openrouter/gpt-4o", "Claude-Sonnet-4-5", "acme-unknown", "gpt-4o-audio-preview", "tgi", "acme<b>&'c+`d", "caf\u00e9-model"];

    private static readonly string[] Tiers = ["", "batch", "flex", "turbo"];

    private static readonly string[] Usages =
    [
        """{"input_tokens":{0},"output_tokens":{1},"cache_read_tokens":{2},"cache_write_tokens":{2}}""",
        """{"prompt_tokens":{0},"completion_tokens":{1},"prompt_tokens_details":{"cached_tokens":{2},"audio_tokens":{2}},"completion_tokens_details":{"reasoning_tokens":{2},"audio_tokens":{2}}}""",
        """{"input_tokens":{0},"output_tokens":{1},"cache_read_input_tokens":{2},"cache_creation_input_tokens":{2},"server_tool_use":{"web_search_requests":2}}""",
        """{"promptTokenCount":{0},"candidatesTokenCount":{1},"cachedContentTokenCount":{2},"thoughtsTokenCount":{2}}""",
        """{"input_tokens":{0},"output_tokens":{1},"x_tokens":{2}}""",
    ];

    [Fact]
    public void The_written_answer_is_the_serialized_record_for_the_pinned_calls() =>
        Assert.All(ResponseBytesTests.CostCalls, AssertSameBytes);

    [Fact]
    public void The_written_answer_is_the_serialized_record_for_random_calls() =>
        Gen.Select(Gen.Int[0, Models.Length - 1], Gen.Int[0, Tiers.Length - 1], Gen.Int[0, Usages.Length], Gen.Long[0, 400_000], Gen.Long[0, 50_000], Gen.Int[2024, 2026])
            .Sample((model, tier, usage, input, output, year) =>
            {
                var usageJson = usage == Usages.Length ? "null"
                    : Usages[usage].Replace("{0}", input.ToString(), StringComparison.Ordinal).Replace("{1}", output.ToString(), StringComparison.Ordinal).Replace("{2}", (Math.Min(input, output) / 3).ToString(), StringComparison.Ordinal);
                var serviceTier = Tiers[tier].Length == 0 ? string.Empty : $"\"service_tier\":\"{Tiers[tier]}\",";
                AssertSameBytes($$"""{"model":"{{Models[model]}}",{{serviceTier}}"timestamp":"{{year}}-06-01T00:00:00Z","usage":{{usageJson}}}""");
            }, iter: 2_000);

    [Fact]
    public void A_price_kept_by_its_bits_is_written_as_money_is_whatever_value_held_its_slot_before()
    {
        var random = new Random(47);
        decimal[] seen = new decimal[5_000];
        for (var i = 0; i < 60_000; i++)
        {
            // New values (more than the table's slots), values seen before, and the same value at other scales and signs.
            var value = random.Next(3) switch
            {
                0 => new decimal(random.Next(), random.Next(4) == 0 ? random.Next() : 0, 0, random.Next(8) == 0, (byte)random.Next(0, 29)),
                1 => seen[random.Next(seen.Length)],
                _ => seen[random.Next(seen.Length)] * (random.Next(2) == 0 ? 1.0m : -1m),
            };
            seen[i % seen.Length] = value;

            var price = new JsonBytes(new byte[2], _json.Options.Encoder);
            price.Price(value);
            var money = new JsonBytes(new byte[2], _json.Options.Encoder);
            money.Money(value);
            Assert.Equal(Encoding.UTF8.GetString(money.Written), Encoding.UTF8.GetString(price.Written));
        }
    }

    [Fact]
    public void Strings_are_escaped_as_the_services_writer_escapes_them()
    {
        string[] samples = [.. Enumerable.Range(0, 160).Select(c => $"a{(char)c}b"), "caf\u00e9", "\u65e5\u672c", "\ud83d\ude00", "\u2028", string.Empty, new string('x', 5_000)];
        foreach (var sample in samples)
        {
            var bytes = new JsonBytes(new byte[4], _json.Options.Encoder);
            bytes.String(sample);
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer, _json.WriterOptions))
            {
                writer.WriteStringValue(sample);
            }

            Assert.Equal(Encoding.UTF8.GetString(buffer.WrittenSpan), Encoding.UTF8.GetString(bytes.Written));
        }
    }

    private void AssertSameBytes(string request)
    {
        var (engine, json) = (_engine, _json);
        using var document = JsonDocument.Parse(request);
        var call = PricingRequestReader.Read(document.RootElement, Now, [], otherFields: ["service_tier", "region"]);
        Assert.NotNull(call);
        var cost = CostApi.Price(engine, call, Now);

        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, json.WriterOptions))
        {
            json.Write(writer, call, cost, engine);
        }

        Assert.Equal(JsonSerializer.Serialize(CostApi.ToResponse(call, cost, engine), json.Options), Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
