using System.Runtime.InteropServices;
using Catalog.Pricing;

// bench/cpu-time: CPU time of the running thread per call (clock_gettime(CLOCK_THREAD_CPUTIME_ID)), so that time the thread spends
// descheduled on a busy machine is not counted. Same calls as PriceBenchmarks.PriceExact and PriceAudioWithTierAndRegion.
static class P
{
    [StructLayout(LayoutKind.Sequential)] struct Timespec { public long Sec; public long Nsec; }
    [DllImport("libc")] static extern int clock_gettime(int clock, out Timespec t);
    static long ThreadNs() { clock_gettime(3, out var t); return t.Sec * 1_000_000_000 + t.Nsec; }

    static CostBreakdown Sink;
    static readonly DateTimeOffset Now = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    static void Main(string[] args)
    {
        var engine = BuiltInCatalog.CreateEngine(_ => null);
        var audio = Catalog.Benchmarks.AudioCatalog.Engine();
        var usage = new TokenUsage(InputTokens: 1_000, OutputTokens: 500);
        var audioUsage = new TokenUsage(InputTokens: 1_000, OutputTokens: 500, CacheReadTokens: 100) { InputAudioTokens = 600, OutputAudioTokens = 300 };
        const int N = 1_000_000;
        var rounds = args.Length > 0 ? int.Parse(args[0]) : 7;
        for (var w = 0; w < 3; w++) { Exact(engine, usage, N); Audio(audio, audioUsage, N); Thread.Sleep(50); }
        var ex = new List<double>(); var au = new List<double>();
        for (var r = 0; r < rounds; r++)
        {
            var t0 = ThreadNs(); Exact(engine, usage, N); var t1 = ThreadNs(); Audio(audio, audioUsage, N); var t2 = ThreadNs();
            ex.Add((t1 - t0) / (double)N); au.Add((t2 - t1) / (double)N);
        }
        ex.Sort(); au.Sort();
        Console.WriteLine($"PriceExact CPU ns/call: min {ex[0]:F1} median {ex[ex.Count / 2]:F1} max {ex[^1]:F1}");
        Console.WriteLine($"PriceAudioWithTierAndRegion CPU ns/call: min {au[0]:F1} median {au[au.Count / 2]:F1} max {au[^1]:F1}");
    }

    static void Exact(PricingEngine e, TokenUsage u, int n) { for (var i = 0; i < n; i++) Sink = e.Price("claude-sonnet-4-5", null, u, Now); }
    static void Audio(PricingEngine e, TokenUsage u, int n) { for (var i = 0; i < n; i++) Sink = e.Price("gpt-audio", null, u, Now, "batch", "us"); }
}
