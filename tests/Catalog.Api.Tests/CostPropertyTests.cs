using System.Globalization;
using System.Text;
using System.Text.Json;
using CsCheck;
using Microsoft.AspNetCore.Mvc.Testing;

using Catalog.Api.Tests.Ledger;

namespace Catalog.Api.Tests;

/// <summary>
/// Random bodies thrown at /v1/cost and /v1/cost/batch through the in-memory server: random JSON, objects
/// with known and random field names and random value types, huge numbers, deep nesting, bytes that are
/// not UTF-8, truncated JSON. The service never answers 5xx, and every 4xx is a ProblemDetails that says
/// what to fix.
/// </summary>
public sealed class CostPropertyTests(LedgerApiFactory factory) : IClassFixture<LedgerApiFactory>
{
    private const int Iterations = 2500;

    private static readonly string[] FieldNames =
    [
        "model", "provider", "timestamp", "usage", "items",
        "input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens", "cache_write_1h_tokens", "total_tokens",
        "input_tokens_details", "output_tokens_details", "cached_tokens", "reasoning_tokens",
        "prompt_tokens", "completion_tokens", "prompt_tokens_details", "completion_tokens_details",
        "cache_creation_input_tokens", "cache_read_input_tokens", "cache_creation", "ephemeral_5m_input_tokens", "ephemeral_1h_input_tokens", "service_tier",
        "promptTokenCount", "candidatesTokenCount", "thoughtsTokenCount", "cachedContentTokenCount", "toolUsePromptTokenCount", "totalTokenCount",
    ];

    private static readonly string[] UsageFields = FieldNames[5..];

    private static readonly string[] ModelNames =
    [
        "my-chatbot", "support-bot", "gpt-4o", "gpt-3.5-turbo", "claude-sonnet-4-5-20250929", "openai/gpt-oss-120b:groq", "meta/gpt-oss-120b:groq",
        "CLAUDE-3-OPUS", "huggingface/brand-new", "brand-new:huggingface", "default", "a/b/c:d", ":", "/", ":x", "x:", "/x", "x/", "", " ", "\t",
    ];

    private static readonly string[] Literals =
    [
        "0", "1", "-1", "-0", "1.5", "1e3", "1E+2", "1e400", "-1e400", "0.0000001", "1000000000000", "1000000000001",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "79228162514264337593543950336",
        "true", "false", "null", "\"\"", "\"2026-11-20T10:00:00Z\"", "\"2025-10-01\"", "\"9999-12-31T23:59:59-14:00\"", "\"0001-01-01T00:00:00+14:00\"",
        "\"\\ud800\"", "\"\\udc00\\ud800\"", "\"\\u0000\"", "\"a\\nb\"", "\"100\"", "\"huggingface\"", "\"anthropic\"",
        "[]", "{}", "[[]]", "{\"\":{}}",
    ];

    private static readonly byte[] BadBytes = [0xFF, 0xFE, 0xC0, 0xC3, 0x80, 0xED, 0xA0, 0xF4, 0x90, 0x00, (byte)'"', (byte)'\\', (byte)'{', (byte)']', (byte)','];

    private static readonly string[] ContentTypes = ["application/json", "application/json; charset=utf-8", "application/problem+json", "text/plain"];

    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public Task Random_bodies_never_get_a_5xx_from_cost() =>
        Bodies(Request).SampleAsync(body => AssertAnswered("/v1/cost", body), iter: Iterations, print: Describe);

    [Fact]
    public Task Random_bodies_never_get_a_5xx_from_the_batch() =>
        Bodies(Batch).SampleAsync(body => AssertAnswered("/v1/cost/batch", body), iter: Iterations, print: Describe);

    /// <summary>A body is JSON text (random or shaped like a request), then perhaps broken as bytes.</summary>
    private static Gen<Body> Bodies(Gen<string> shaped) =>
        Gen.Select(
            Gen.Frequency((10, shaped), (3, Json), (1, DeepNesting), (1, Oversized(shaped))),
            Gen.Frequency((12, Gen.Const(Mutation.None)), (1, Gen.Const(Mutation.Truncate)), (2, Gen.Const(Mutation.BadByte)), (1, Gen.Const(Mutation.Garbage))),
            Gen.Int[0, int.MaxValue],
            Gen.Frequency((12, Gen.Const(ContentTypes[0])), (1, Gen.OneOf(ContentTypes)), (1, Gen.Const((string?)null))),
            (json, mutation, at, contentType) => new Body(Mutate(Encoding.UTF8.GetBytes(json), mutation, at), contentType));

    private static readonly Gen<string> RandomText =
        Gen.Frequency(
            (3, Gen.String[Gen.Char, 0, 12]),
            (1, Gen.String[Gen.Char['\uD800', '\uDFFF'], 1, 3]),
            (1, Gen.Int[200, 3000].Select(n => new string('x', n))));

    private static readonly Gen<string> Leaf =
        Gen.Frequency(
            (4, Gen.OneOf(Literals)),
            (2, Gen.Long.Select(l => l.ToString(CultureInfo.InvariantCulture))),
            (2, Gen.Long[0, 2_000_000].Select(l => l.ToString(CultureInfo.InvariantCulture))),
            (1, Gen.Double.Select(d => d.ToString("R", CultureInfo.InvariantCulture))),
            (1, Gen.Int[1, 400].Select(n => new string('9', n))),
            (2, Gen.OneOf(ModelNames).Select(Quote)),
            (2, RandomText.Select(Quote)));

    private static readonly Gen<string> Key =
        Gen.Frequency((5, Gen.OneOf(FieldNames)), (1, RandomText)).Select(Quote);

    private static readonly Gen<string> Json =
        Gen.Recursive<string>((depth, self) => depth >= 5
            ? Leaf
            : Gen.Frequency(
                (3, Leaf),
                (2, Gen.Select(Key, self).Array[0, 6].Select(ObjectOf)),
                (1, self.Array[0, 6].Select(values => "[" + string.Join(",", values) + "]"))));

    private static readonly Gen<string> Count =
        Gen.Frequency((6, Gen.Long[0, 300_000].Select(l => l.ToString(CultureInfo.InvariantCulture))), (2, Leaf), (1, Json));

    private static readonly Gen<string> Usage =
        Gen.Frequency(
            (6, Gen.Select(Gen.OneOf(UsageFields).Select(Quote), Count).Array[0, 5].Select(ObjectOf)),
            (1, Json));

    private static readonly Gen<string> Request =
        Gen.Select(
            Gen.Frequency((6, Gen.OneOf(ModelNames).Select(Quote)), (1, Leaf)).Null(0.1),
            Gen.Frequency((3, Gen.OneOf("\"anthropic\"", "\"huggingface\"", "\"groq\"", "\"nobody\"")), (1, Leaf)).Null(0.5),
            Gen.Frequency((3, Gen.Const("\"2026-11-20T10:00:00Z\"")), (1, Leaf)).Null(0.5),
            Usage.Null(0.2),
            Gen.Select(Key, Leaf).Nullable(0.8),
            (model, provider, timestamp, usage, extra) => ObjectOf(new (string, string)?[]
                {
                    Field("model", model), Field("provider", provider), Field("timestamp", timestamp), Field("usage", usage), extra,
                }.OfType<(string, string)>()));

    private static readonly Gen<string> Batch =
        Gen.Frequency(
            (6, Gen.Frequency((4, Request), (1, Json)).Array[0, 12].Select(items => "{\"items\":[" + string.Join(",", items) + "]}")),
            (1, Json.Select(items => "{\"items\":" + items + "}")));

    private static readonly Gen<string> DeepNesting =
        Gen.Select(Gen.Int[20, 3000], Gen.OneOf("[", "{\"usage\":", "{\"items\":[")).Select((depth, open) =>
            string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(open[0] == '[' ? "]" : open.EndsWith('[') ? "]}" : "}", depth)));

    /// <summary>Over the 64 KB limit of /v1/cost, within the 32 MB of a batch.</summary>
    private static Gen<string> Oversized(Gen<string> shaped) =>
        Gen.Select(shaped, Gen.Int[60_000, 200_000]).Select((json, padding) => new string(' ', padding) + json);

    private async Task AssertAnswered(string path, Body body)
    {
        var response = await _client.PostBytesAsync(path, body.Bytes, body.ContentType);
        var status = (int)response.Status;

        Assert.True(status < 500, $"{status}: {response.Text}");
        if (status >= 400)
        {
            AssertProblem(response.MediaType, response.Json, status);
            return;
        }

        var json = response.Json;
        if (path.EndsWith("/batch", StringComparison.Ordinal))
        {
            foreach (var result in json.GetProperty("results").EnumerateArray())
            {
                if (!result.TryGetProperty("total_usd", out _))
                {
                    AssertProblem("application/problem+json", result, 400);
                }
            }
        }
        else
        {
            Assert.Equal(JsonValueKind.Number, json.GetProperty("total_usd").ValueKind);
        }
    }

    private static void AssertProblem(string? mediaType, JsonElement problem, int status)
    {
        Assert.Equal("application/problem+json", mediaType);
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()), problem.GetRawText());
        if (status == 400)
        {
            var errors = problem.GetProperty("errors");
            Assert.NotEmpty(errors.EnumerateObject());
            Assert.All(errors.EnumerateObject(), e => Assert.NotEmpty(e.Value.EnumerateArray()));
        }
    }

    private static (string, string)? Field(string name, string? value) => value is null ? null : (Quote(name), value);

    private static string ObjectOf(IEnumerable<(string Key, string Value)> fields) =>
        "{" + string.Join(",", fields.Select(f => f.Key + ":" + f.Value)) + "}";

    private static string ObjectOf((string Key, string Value)[] fields) => ObjectOf(fields.AsEnumerable());

    /// <summary>A JSON string literal; every character outside printable ASCII is a \u escape, so lone surrogates get through.</summary>
    private static string Quote(string text)
    {
        var quoted = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            if (c is '"' or '\\')
            {
                quoted.Append('\\').Append(c);
            }
            else if (c is < ' ' or > '~')
            {
                quoted.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                quoted.Append(c);
            }
        }

        return quoted.Append('"').ToString();
    }

    private static byte[] Mutate(byte[] bytes, Mutation mutation, int at)
    {
        if (bytes.Length == 0)
        {
            return bytes;
        }

        var index = at % bytes.Length;
        switch (mutation)
        {
            case Mutation.Truncate:
                return bytes[..index];
            case Mutation.BadByte:
                bytes[index] = BadBytes[at % BadBytes.Length];
                return bytes;
            case Mutation.Garbage:
                new Random(at).NextBytes(bytes.AsSpan(index, Math.Min(16, bytes.Length - index)));
                return bytes;
            default:
                return bytes;
        }
    }

    private static string Describe(Body body) =>
        $"{body.ContentType ?? "(no content type)"} {body.Bytes.Length} bytes: {Encoding.UTF8.GetString(body.Bytes.AsSpan(0, Math.Min(body.Bytes.Length, 2000)))}";

    private enum Mutation
    {
        None,
        Truncate,
        BadByte,
        Garbage,
    }

    public sealed record Body(byte[] Bytes, string? ContentType);
}
