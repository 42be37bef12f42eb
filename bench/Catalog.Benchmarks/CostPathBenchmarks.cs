using System.Buffers;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Catalog.Api;
using Catalog.Api.Features.Cost;
using Catalog.Api.Http;
using Catalog.Pricing;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Catalog.Benchmarks;

/// <summary>
/// What <c>POST /v1/cost</c> and each item of <c>/v1/cost/batch</c> do below HTTP, step by step: parse the body,
/// read and validate the call, price it, write the answer. <c>SerializeRecord</c> is the answer written the way the
/// service did before (a <see cref="CostResponse"/> record through the reflection-based serializer), the baseline
/// of <c>WriteAnswer</c>; <c>OneItem</c> is the whole path of one batch item. <c>ReadBatchItem</c> and
/// <c>ReadBatchItemGeneral</c> read a 1,000-item batch body (per item): the one pass of <see cref="CostBatchItems"/>
/// against the whole body parsed into a document and each item read by <see cref="PricingRequestReader"/>.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class CostPathBenchmarks
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] CallFields = ["service_tier", "region"];

    private readonly byte[] _body = Encoding.UTF8.GetBytes("""{"model":"my-chatbot","provider":"anthropic","timestamp":"2026-11-20T10:00:00Z","usage":{"input_tokens":1000,"output_tokens":500,"cache_read_tokens":0,"cache_write_tokens":0}}""");
    private readonly PricingEngine _engine = BuiltInCatalog.CreateEngine();
    private byte[] _batch = [];
    private readonly ArrayBufferWriter<byte> _output = new(4096);
    private readonly Dictionary<string, string[]> _errors = [];
    private CostJson _json = null!;
    private Utf8JsonWriter _writer = null!;
    private JsonDocument _document = null!;
    private PricingRequest _call = null!;
    private CostBreakdown _cost;

    [GlobalSetup]
    public void Setup()
    {
        var options = new JsonOptions();
        Json.Configure(options.SerializerOptions);
        _json = new CostJson(Options.Create(options));
        _writer = new Utf8JsonWriter(_output, _json.WriterOptions);
        _document = JsonDocument.Parse(_body);
        _call = PricingRequestReader.Read(_document.RootElement, Now, _errors, otherFields: CallFields)!;
        _cost = CostApi.Price(_engine, _call, Now);
        _batch = Encoding.UTF8.GetBytes("{\"items\":[" + string.Join(",", Enumerable.Repeat(Encoding.UTF8.GetString(_body), 1000)) + "]}");
    }

    [GlobalCleanup]
    public void Cleanup() => _document.Dispose();

    [Benchmark(OperationsPerInvoke = 1000)]
    public int ReadBatchItem()
    {
        using var items = CostBatchItems.TryRead(_batch, Now)!;
        return items.Count;
    }

    [Benchmark(OperationsPerInvoke = 1000)]
    public int ReadBatchItemGeneral()
    {
        using var document = JsonBody.Parse(_batch);
        var read = 0;
        foreach (var item in document.RootElement.GetProperty("items").EnumerateArray())
        {
            read += PricingRequestReader.Read(item, Now, _errors, otherFields: CallFields) is null ? 0 : 1;
        }

        return read;
    }

    [Benchmark]
    public int ParseBody()
    {
        using var document = JsonBody.Parse(_body);
        return document.RootElement.GetPropertyCount();
    }

    [Benchmark]
    public PricingRequest? ReadCall() => PricingRequestReader.Read(_document.RootElement, Now, _errors, otherFields: CallFields);

    [Benchmark]
    public decimal Price() => CostApi.Price(_engine, _call, Now).TotalUsd;

    [Benchmark]
    public int WriteAnswer()
    {
        _output.ResetWrittenCount();
        _writer.Reset(_output);
        _json.Write(_writer, _call, _cost, _engine);
        _writer.Flush();
        return _output.WrittenCount;
    }

    /// <summary>The answer as the batch and <c>/v1/cost</c> write it: straight into the response's buffer, no writer between.</summary>
    [Benchmark]
    public int WriteAnswerDirect()
    {
        _output.ResetWrittenCount();
        return _json.Write(_output, comma: true, CostAnswerForm.Full, _call.Model, _call.Provider, _call.Shape, _call.Unpriced, _cost, _engine);
    }

    /// <summary>The answer of <c>?answer=compact</c>.</summary>
    [Benchmark]
    public int WriteCompact()
    {
        _output.ResetWrittenCount();
        return _json.Write(_output, comma: true, CostAnswerForm.Compact, _call.Model, _call.Provider, _call.Shape, _call.Unpriced, _cost, _engine);
    }

    [Benchmark]
    public int SerializeRecord()
    {
        _output.ResetWrittenCount();
        _writer.Reset(_output);
        JsonSerializer.Serialize(_writer, CostApi.ToResponse(_call, _cost, _engine), _json.Options);
        _writer.Flush();
        return _output.WrittenCount;
    }

    [Benchmark]
    public int OneItem()
    {
        _output.ResetWrittenCount();
        _writer.Reset(_output);
        var call = PricingRequestReader.Read(_document.RootElement, Now, _errors, otherFields: CallFields)!;
        _json.Write(_writer, call, CostApi.Price(_engine, call, Now), _engine);
        _writer.Flush();
        return _output.WrittenCount;
    }
}
