using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Catalog.Benchmarks.PriceBenchmarks).Assembly).Run(args);
