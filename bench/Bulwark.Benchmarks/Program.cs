using BenchmarkDotNet.Running;

// Run with: dotnet run -c Release --project bench/Bulwark.Benchmarks -- --filter '*'
// Every benchmark class carries its own baseline ([Benchmark(Baseline = true)]) so ratios are reported from the same run.
// Two commands besides BenchmarkDotNet, used by bench/scripts/console-pages.sh: seed the review data, time rendered pages.
if (args is ["seed-review", var provider])
{
    var seeded = new Bulwark.Benchmarks.Review.ReviewQueueBenchmarks { Provider = provider };
    seeded.Setup();
    Console.WriteLine($"case {seeded.DetailCaseId}");
    seeded.Cleanup();
    return 0;
}
if (args is ["console-pages", .. var rest]) return await Bulwark.Benchmarks.Review.ConsolePageTimer.RunAsync(rest);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
