using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Catalog.Api.Features.Cost;
using Catalog.Api.Http;
using Catalog.Api.Tests.Ledger;
using Catalog.Pricing;
using Catalog.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Api.Tests;

/// <summary>
/// A cost batch is read in one pass over its bytes (<see cref="CostBatchItems.TryRead"/>), each plain item without a
/// document; anything else goes the general way (the whole body as a document, each item read by
/// <see cref="PricingRequestReader"/>). Over generated batches of every kind of item, good and bad, the answer is the
/// same bytes either way, and a body the general way refuses is never taken by the fast one.
/// </summary>
public sealed class CostBatchFastPathTests(LedgerApiFactory factory) : IClassFixture<LedgerApiFactory>
{
    private readonly PricingEngine _engine = factory.Services.GetRequiredService<PricingEngine>();
    private readonly CostJson _json = factory.Services.GetRequiredService<CostJson>();

    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The names of <see cref="CostJsonTests"/> first (names clients send), then names that must be refused or trimmed.</summary>
    private static readonly string[] Models =
    [
        .. CostJsonTests.Models, " gpt-4o ", "", "   ", "gpt-4\\u006f", "caf\u00e9-model", "a<b&c'd+e", "tab\\there", new string('m', 256), new string('m', 257), "gpt-4o\u0085",
    ];

    private static readonly string[] Providers = ["anthropic", "openai", "google", "openrouter", "acme", "", " openai ", "Anthropic"];

    private static readonly string[] Timestamps =
    [
        "\"2026-06-01T00:00:00Z\"", "\"2025-01-15T10:20:30.123Z\"", "\"2026-06-01T00:00:00+02:00\"", "\"2026-06-01T00:00:00\"", "\"2026-06-01\"",
        "\"2024-02-29T23:59:59.9999999Z\"", "\"1999-12-31T00:00:00Z\"", "\"2026-11-21T12:04:00Z\"", "\"2026-11-21T12:06:00Z\"", "\"2030-01-01T00:00:00Z\"",
        "\"June 1 2026\"", "\"\"", "\"2026-06-01T00:00:00\\u005a\"", "12345", "null", "true",
    ];

    private static readonly string[] Tiers = ["batch", "flex", "priority", "default", "us", "eu", "", " flex "];

    [Fact]
    public async Task Every_batch_gets_the_same_bytes_whichever_way_its_items_are_read()
    {
        var random = new Random(2026);
        var (fastItems, generalItems, generalBodies) = (0, 0, 0);
        for (var b = 0; b < 1_500; b++)
        {
            var body = Encoding.UTF8.GetBytes(Batch(random));
            using var fast = CostBatchItems.TryRead(body, Now);
            JsonDocument? document = null;
            try
            {
                document = JsonBody.Parse(body);
            }
            catch (JsonException)
            {
                // Refused whole: the fast reader must have left it to the general way, which says why.
                Assert.Null(fast);
                generalBodies++;
                continue;
            }

            using (document)
            {
                var errors = new Dictionary<string, string[]>();
                if (!CostApi.TryReadItems(document.RootElement, errors, out var items))
                {
                    Assert.Null(fast);
                    generalBodies++;
                    continue;
                }

                if (fast is null)
                {
                    generalBodies++;
                    continue;
                }

                using var general = CostBatchItems.FromJson(items);
                Assert.Equal(await Answer(general), await Answer(fast));
                for (var i = 0; i < fast.Count; i++)
                {
                    _ = fast[i].Json is null ? fastItems++ : generalItems++;
                }
            }
        }

        // Both ways are well exercised: plain items read fast, the rest (and whole bodies) the general way.
        var counts = $"fast items {fastItems}, items read the general way {generalItems}, bodies read the general way {generalBodies}";
        Assert.True(fastItems > 1_000 && generalItems > 1_000 && generalBodies > 50, counts);
    }

    [Fact]
    public async Task A_compact_answer_has_the_full_answers_values_for_every_item_of_generated_batches()
    {
        var random = new Random(2027);
        var (costs, problems) = (0, 0);
        for (var b = 0; b < 600; b++)
        {
            using var items = CostBatchItems.TryRead(Encoding.UTF8.GetBytes(Batch(random)), Now);
            if (items is null)
            {
                continue; // a body refused whole: the same 400 whatever the answer form
            }

            var (c, p) = CompactAnswers.AssertSameValues(await Answer(items), await Answer(items, CostAnswerForm.Compact));
            (costs, problems) = (costs + c, problems + p);
        }

        Assert.True(costs > 500 && problems > 100, $"costs {costs}, problems {problems}");
    }

    [Fact]
    public async Task One_call_gets_the_answer_of_the_general_reader_whichever_way_it_is_read()
    {
        using var client = factory.CreateClient();
        var random = new Random(17);
        var (fast, general) = (0, 0);
        for (var i = 0; i < 600; i++)
        {
            var body = Item(random);
            using var response = await client.PostAsync("/v1/cost", new StringContent(body, Encoding.UTF8, "application/json"));
            var now = DateTimeOffset.UtcNow;
            var expected = GeneralAnswer(body, now);
            if (expected is null)
            {
                Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
            }
            else
            {
                Assert.Equal(expected, await response.Content.ReadAsStringAsync());
            }

            _ = CostBatchItems.TryReadOne(Encoding.UTF8.GetBytes(body), now, out _) ? fast++ : general++;
        }

        Assert.True(fast > 100 && general > 100, $"read fast {fast}, the general way {general}");
    }

    /// <summary>The answer to one call as the general reader reads it (the service's clock at about <paramref name="now"/>), or null for a 400.</summary>
    private string? GeneralAnswer(string body, DateTimeOffset now)
    {
        JsonDocument document;
        try
        {
            document = JsonBody.Parse(Encoding.UTF8.GetBytes(body));
        }
        catch (JsonException)
        {
            return null;
        }

        using (document)
        {
            var call = PricingRequestReader.Read(document.RootElement, now, [], otherFields: CostApi.CallFields);
            if (call is null)
            {
                return null;
            }

            var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, _json.WriterOptions))
            {
                _json.Write(writer, call, CostApi.Price(_engine, call, now), _engine);
            }

            return Encoding.UTF8.GetString(buffer.ToArray());
        }
    }

    [Theory]
    [InlineData("""{"items":[{"model":"gpt-4o"}],"other":1}""")]
    [InlineData("""{"items":[{"model":"gpt-4o"}],"items":[]}""")]
    [InlineData("""{"items":[{"model":"gpt-4o","model":"gpt-4o"}]}""")]
    [InlineData("""{"items":[{"model":"gpt-4o","usage":{"input_tokens":1,"input_tokens":2}}]}""")]
    [InlineData("""{"items":[{"model":"gpt-4o","usage":{"x":{"a":1,"a":2}}}]}""")]
    [InlineData("""{"items":[{"model":"gpt-4o"},]}""")]
    [InlineData("""{"items":{"model":"gpt-4o"}}""")]
    [InlineData("""{"items":[{"model":"\ud800"}]}""")]
    [InlineData("""[{"model":"gpt-4o"}]""")]
    [InlineData("""{"items":[]} x""")]
    [InlineData("")]
    public void A_body_the_general_way_refuses_is_left_to_it(string body) =>
        Assert.Null(CostBatchItems.TryRead(Encoding.UTF8.GetBytes(body), Now));

    [Fact]
    public void Invalid_utf8_in_an_item_sends_the_body_the_general_way()
    {
        byte[] body = [.. "{\"items\":[{\"model\":\"gpt"u8, 0xff, .. "\"}]}"u8];
        Assert.Null(CostBatchItems.TryRead(body, Now));
    }

    [Fact]
    public void A_batch_over_the_item_limit_is_left_to_the_general_way()
    {
        var body = "{\"items\":[" + string.Join(",", Enumerable.Repeat("{\"model\":\"gpt-4o\"}", BatchEnvelope.MaxItems + 1)) + "]}";
        Assert.Null(CostBatchItems.TryRead(Encoding.UTF8.GetBytes(body), Now));
    }

    private async Task<string> Answer(CostBatchItems items, CostAnswerForm form = CostAnswerForm.Full)
    {
        var buffer = new MemoryStream();
        var output = PipeWriter.Create(buffer);
        await CostApi.WriteResultsAsync(output, items, _engine, _json, Now, form, CancellationToken.None);
        await output.FlushAsync();
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Batch(Random random)
    {
        var items = Enumerable.Range(0, random.Next(1, 8)).Select(_ => Item(random));
        var envelope = random.Next(40) switch
        {
            0 => "{\"items\":[" + string.Join(",", items) + "],\"extra\":1}",
            1 => "{\"items\":[" + string.Join(",", items) + "],}",
            2 => "{\"items\":" + items.First() + "}",
            _ => "{\"items\":[" + string.Join(",", items) + "]}",
        };
        return envelope;
    }

    /// <summary>A usage as a provider returns it: canonical, OpenAI Chat Completions or Anthropic Messages, the counts adding up.</summary>
    private static string PlainUsage(Random random)
    {
        var (input, output, part) = (random.Next(0, 200_000), random.Next(0, 8_000), random.Next(0, 4_000));
        part = Math.Min(part, Math.Min(input, output) / 2);
        return random.Next(4) switch
        {
            0 => $$"""{"input_tokens":{{input}},"output_tokens":{{output}},"cache_read_tokens":{{part}},"cache_write_tokens":{{part / 2}}}""",
            1 => $$"""{"input_tokens":{{input}},"output_tokens":{{output}},"cache_write_tokens":{{part}},"cache_write_1h_tokens":{{part / 3}},"output_reasoning_tokens":{{part / 2}},"web_searches":{{random.Next(0, 3)}},"total_tokens":{{input + output}}}""",
            2 => $$$"""{"prompt_tokens":{{{input}}},"completion_tokens":{{{output}}},"total_tokens":{{{input + output}}},"prompt_tokens_details":{"cached_tokens":{{{part}}},"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":{{{part}}},"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}""",
            _ => $$$"""{"input_tokens":{{{input}}},"cache_creation_input_tokens":{{{part}}},"cache_read_input_tokens":{{{part / 2}}},"cache_creation":{"ephemeral_5m_input_tokens":{{{part - part / 3}}},"ephemeral_1h_input_tokens":{{{part / 3}}}},"output_tokens":{{{output}}},"service_tier":"standard","server_tool_use":{"web_search_requests":{{{random.Next(0, 3)}}}}}""",
        };
    }

    /// <summary>Mostly one of the first <paramref name="usual"/> values (what clients send), else any.</summary>
    private static string Pick(Random random, string[] values, int usual) => values[random.Next(random.Next(5) > 0 ? usual : values.Length)];

    private static string Item(Random random)
    {
        switch (random.Next(60))
        {
            case 0: return "5";
            case 1: return "\"gpt-4o\"";
            case 2: return "null";
            case 3: return "[]";
        }

        var fields = new List<string>();
        if (random.Next(30) > 0)
        {
            fields.Add(random.Next(25) == 0 ? "\"model\":" + (random.Next(2) == 0 ? "null" : "7") : $"\"model\":\"{Pick(random, Models, CostJsonTests.Models.Length)}\"");
        }

        if (random.Next(2) == 0)
        {
            fields.Add(random.Next(20) == 0 ? "\"provider\":null" : $"\"provider\":\"{Pick(random, Providers, 5)}\"");
        }

        if (random.Next(4) > 0)
        {
            fields.Add("\"timestamp\":" + Pick(random, Timestamps, 8));
        }

        if (random.Next(6) > 0)
        {
            fields.Add("\"usage\":" + random.Next(30) switch
            {
                0 => "null",
                1 => "\"1000\"",
                2 => "[]",
                < 15 => UsageSamples.Usage(random),
                _ => PlainUsage(random),
            });
        }

        if (random.Next(6) == 0)
        {
            fields.Add($"\"service_tier\":\"{Tiers[random.Next(Tiers.Length)]}\"");
        }

        if (random.Next(8) == 0)
        {
            fields.Add($"\"region\":\"{Tiers[random.Next(Tiers.Length)]}\"");
        }

        switch (random.Next(40))
        {
            case 0:
                fields.Add("\"modle\":\"gpt-4o\"");
                break;
            case 1 when fields.Count > 0:
                fields.Add(fields[0]);
                break;
            case 2:
                fields.Add("\"region\":5");
                break;
            case 3:
                fields.Add("\"\\u006dodel\":\"gpt-4o\"");
                break;
        }

        return "{" + string.Join(",", fields.OrderBy(_ => random.Next())) + "}";
    }
}
