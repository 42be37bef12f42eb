using System.Text;
using System.Text.RegularExpressions;
using Catalog.Api.Tests.Ledger;
using Catalog.Pricing;
using Catalog.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Catalog.Api.Tests;

/// <summary>
/// The exact bytes of the answers that speed work touches (cost, cost batch, usage ingest, list and CSV export),
/// held to files under Golden/: a faster serializer must write the same bytes. The catalogue version and trace
/// ids are the only parts replaced before comparing. After a change that means to alter an answer, write the
/// files again with CATALOG_UPDATE_GOLDEN=1 and review their diff.
/// </summary>
public sealed partial class ResponseBytesTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private readonly LedgerApiFactory _factory = new() { Clock = new FakeTimeProvider(Now) };

    /// <summary>Calls that together take every branch of a cost answer: each resolution step, usage shapes, cache, tiers, history, service tier, estimates, unpriced fields, escaping.</summary>
    public static readonly string[] CostCalls =
    [
        """{"model":"my-chatbot","provider":"anthropic","timestamp":"2026-11-20T10:00:00Z","usage":{"input_tokens":1000,"output_tokens":500,"cache_read_tokens":0,"cache_write_tokens":0}}""",
        """{"model":"claude-sonnet-4-5","timestamp":"2026-11-20T10:00:00Z","usage":{"input_tokens":250000,"output_tokens":1200,"cache_read_tokens":40000,"cache_write_tokens":3000,"cache_write_1h_tokens":1000}}""",
        """{"model":"claude-sonnet-4-5","timestamp":"2025-09-01T00:00:00Z","usage":{"input_tokens":1000,"output_tokens":500}}""",
        """{"model":"claude-sonnet-4-5","service_tier":"batch","timestamp":"2026-11-20T10:00:00Z","usage":{"input_tokens":1000,"output_tokens":500}}""",
        """{"model":"claude-sonnet-4-5","service_tier":"turbo","region":"eu","timestamp":"2026-11-20T10:00:00Z","usage":{"input_tokens":1000,"output_tokens":500}}""",
        """{"model":"claude-sonnet-4-5-20250929","provider":"anthropic","timestamp":"2026-11-20T10:00:00Z","usage":{"input_tokens":1200,"cache_creation_input_tokens":300,"cache_read_input_tokens":5000,"cache_creation":{"ephemeral_5m_input_tokens":100,"ephemeral_1h_input_tokens":200},"output_tokens":300,"server_tool_use":{"web_search_requests":2},"service_tier":"batch"}}""",
        """{"model":"gpt-4o-mini","timestamp":"2026-11-20T10:00:00Z","usage":{"prompt_tokens":2000,"completion_tokens":400,"prompt_tokens_details":{"cached_tokens":1024,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":100}}}""",
        """{"model":"gemini-2.5-pro","timestamp":"2026-11-20T10:00:00Z","usage":{"promptTokenCount":300000,"candidatesTokenCount":1000,"thoughtsTokenCount":500,"cachedContentTokenCount":1000}}""",
        """{"model":"gpt-4o","timestamp":"2026-11-20T10:00:00Z"}""",
        """{"model":"gpt-4o","timestamp":"2026-11-20T10:00:00Z","usage":{"input_tokens":10,"output_tokens":5,"x_tokens":12}}""",
        """{"model":"openrouter/gpt-4o","timestamp":"2026-11-20T10:00:00Z","usage":{"input_tokens":10,"output_tokens":5}}""",
        """{"model":"anthropic/claude-sonnet-4-5:bedrock","timestamp":"2026-11-20T10:00:00Z","usage":{"input_tokens":10,"output_tokens":5}}""",
        """{"model":"Claude-Sonnet-4-5","timestamp":"2026-11-20T10:00:00Z","usage":{"input_tokens":10,"output_tokens":5}}""",
        """{"model":"acme-<ünknown>&'model\"","timestamp":"2026-11-20T10:00:00Z","usage":{"input_tokens":10,"output_tokens":5}}""",
        """{"model":"tgi","provider":"huggingface","timestamp":"2026-11-20T10:00:00Z","usage":{"input_tokens":10,"output_tokens":5}}""",
    ];

    /// <summary>Batch items that are not valid: each gets its own problem.</summary>
    private static readonly string[] BadItems =
    [
        "42",
        "null",
        """{"modle":"x"}""",
        """{"model":"gpt-4o","usage":{"input_tokens":-1}}""",
        """{"model":"gpt-4o","timestamp":"yesterday","usage":{"prompt_tokens":10,"completion_tokens":"5"}}""",
    ];

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Cost_answers_are_the_pinned_bytes()
    {
        using var client = _factory.CreateClient();
        var answers = new StringBuilder();
        foreach (var call in CostCalls)
        {
            var response = await client.PostJsonTextAsync("/v1/cost", call);
            answers.Append((int)response.Status).Append(' ').Append(response.Text).Append('\n');
        }

        var refused = await client.PostJsonTextAsync("/v1/cost", """{"model":"gpt-4o","usage":{"input_tokens":-1}}""");
        answers.Append((int)refused.Status).Append(' ').Append(refused.Text).Append('\n');

        AssertGolden("cost.txt", answers.ToString());
    }

    [Fact]
    public async Task Cost_batch_answers_are_the_pinned_bytes()
    {
        using var client = _factory.CreateClient();
        var items = CostCalls.Take(3).Concat(BadItems.Take(2)).Concat(CostCalls.Skip(3)).Concat(BadItems.Skip(2));

        var response = await client.PostJsonTextAsync("/v1/cost/batch", $$"""{"items":[{{string.Join(",", items)}}]}""");
        var empty = await client.PostJsonTextAsync("/v1/cost/batch", """{"items":[]}""");

        AssertGolden("cost-batch.txt", $"{(int)response.Status} {response.Text}\n{(int)empty.Status} {empty.Text}\n");
    }

    [Fact]
    public async Task Compact_cost_batch_answers_are_the_pinned_bytes_with_the_full_answers_values()
    {
        using var client = _factory.CreateClient();
        var items = CostCalls.Take(3).Concat(BadItems.Take(2)).Concat(CostCalls.Skip(3)).Concat(BadItems.Skip(2));
        var body = $$"""{"items":[{{string.Join(",", items)}}]}""";

        var compact = await client.PostJsonTextAsync("/v1/cost/batch?answer=compact", body);
        var full = await client.PostJsonTextAsync("/v1/cost/batch?answer=full", body);
        var byDefault = await client.PostJsonTextAsync("/v1/cost/batch", body);

        AssertGolden("cost-batch-compact.txt", $"{(int)compact.Status} {compact.Text}\n");
        Assert.Equal(byDefault.Text, full.Text);
        Assert.Equal((CostCalls.Length, BadItems.Length), CompactAnswers.AssertSameValues(full.Text, compact.Text));
    }

    [Fact]
    public async Task Usage_ingest_list_and_export_are_the_pinned_bytes()
    {
        using var client = _factory.Client();
        var answers = new StringBuilder();
        var single = await client.PostJsonAsync("/v1/usage", """
            {"id":"golden-1","model":"claude-sonnet-4-5-20250929","provider":"anthropic","timestamp":"2026-11-20T10:00:00Z","latency_ms":2140,"status":"success",
             "user":"ann","team":"search","app":"assistant","endpoint":"chat","tags":{"feature":"summaries","b":"=1+2"},"reported_cost_usd":0.0123,
             "usage":{"input_tokens":1200,"output_tokens":300,"cache_read_input_tokens":5000}}
            """);
        answers.Append((int)single.StatusCode).Append(' ').Append(await single.Content.ReadAsStringAsync()).Append('\n');
        var batch = await client.PostJsonAsync("/v1/usage/batch", """
            {"items":[
              {"id":"golden-2","model":"gpt-4o","timestamp":"2026-11-20T11:00:00Z","usage":{"prompt_tokens":1000,"completion_tokens":200,"prompt_tokens_details":{"cached_tokens":100}},"user":"bob","team":"ads"},
              {"id":"golden-3","model":"gpt-4o","timestamp":"2026-11-20T12:00:00Z","status":"error"},
              {"id":"golden-4","model":"my-chatbot","timestamp":"2026-11-20T13:00:00Z","usage":{"input_tokens":10,"output_tokens":5,"x_tokens":1}},
              {"id":"golden-5","model":"gpt-4o","usage":{"prompt_tokens":-1}},
              {"id":"golden-1","model":"claude-sonnet-4-5-20250929","provider":"anthropic","timestamp":"2026-11-20T10:00:00Z","usage":{"input_tokens":1}},
              {"id":"golden-6","model":"gemini-2.5-pro","timestamp":"2026-11-20T14:00:00Z","app":"-cmd","usage":{"promptTokenCount":300000,"candidatesTokenCount":1000}}
            ]}
            """);
        answers.Append((int)batch.StatusCode).Append(' ').Append(await batch.Content.ReadAsStringAsync()).Append('\n');
        foreach (var path in new[] { "/v1/usage?from=2026-11-20&to=2026-11-21", "/v1/usage?from=2026-11-20&to=2026-11-21&limit=2", "/v1/usage/golden-1", "/v1/usage/export.csv?from=2026-11-20&to=2026-11-21" })
        {
            var response = await client.GetAsync(path);
            answers.Append((int)response.StatusCode).Append(' ').Append(await response.Content.ReadAsStringAsync()).Append('\n');
        }

        AssertGolden("usage.txt", answers.ToString());
    }

    private void AssertGolden(string name, string actual)
    {
        actual = TraceId().Replace(actual.Replace(_factory.Services.GetRequiredService<PricingEngine>().Version, "{catalog_version}", StringComparison.Ordinal), "\"trace_id\":\"{trace_id}\"");
        var path = Path.Combine(Repository.Root, "tests", "Catalog.Api.Tests", "Golden", name);
        if (Environment.GetEnvironmentVariable("CATALOG_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"{path} is missing; write it with CATALOG_UPDATE_GOLDEN=1");
        var expected = File.ReadAllText(path);
        if (expected != actual)
        {
            var at = Enumerable.Range(0, Math.Min(expected.Length, actual.Length)).FirstOrDefault(i => expected[i] != actual[i], Math.Min(expected.Length, actual.Length));
            Assert.Fail($"{name} differs at character {at}:\nexpected …{Around(expected, at)}…\nactual   …{Around(actual, at)}…");
        }
    }

    private static string Around(string text, int at) => text.Substring(Math.Max(0, at - 80), Math.Min(text.Length, at + 80) - Math.Max(0, at - 80));

    [GeneratedRegex("\"trace_id\":\"[0-9a-f]+\"")]
    private static partial Regex TraceId();
}
