using BenchmarkDotNet.Attributes;
using Catalog.Api.Features.Models;
using Catalog.Pricing;
using Microsoft.AspNetCore.Http;

namespace Catalog.Benchmarks;

/// <summary>GET /v1/models over the whole catalogue, without HTTP: a text search (q) and a plain first page.</summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class ModelsSearchBenchmarks
{
    private PricingEngine _engine = null!;

    [GlobalSetup]
    public void Setup() => _engine = BuiltInCatalog.CreateEngine(_ => null);

    /// <summary>A word many models share (every Claude on every provider).</summary>
    [Benchmark]
    public IResult SearchCommonWord() => ModelsApi.ListModels(_engine, null, null, "claude", null, null);

    /// <summary>A name only a few match names have.</summary>
    [Benchmark]
    public IResult SearchRareName() => ModelsApi.ListModels(_engine, null, null, "@cf/meta/llama-3.1-8b", null, null);

    [Benchmark]
    public IResult FirstPage() => ModelsApi.ListModels(_engine, null, null, null, null, null);
}
