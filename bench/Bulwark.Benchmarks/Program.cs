using BenchmarkDotNet.Running;

// Run with: dotnet run -c Release --project bench/Bulwark.Benchmarks -- --filter '*'
// Every benchmark class carries its own baseline ([Benchmark(Baseline = true)]) so ratios are reported from the same run.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
