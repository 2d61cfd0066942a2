using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Bulwark.Core.Policy;
using Bulwark.Core.Policy.Catalogue;
using Bulwark.Core.Policy.Enforcement;
using Bulwark.Core.Policy.Rules;

namespace Bulwark.Benchmarks.Policy;

/// <summary>
/// A 50-rule set (generated with a fixed seed over the real signal schema: bank matches with labels and distances,
/// classifier scores, entity mentions with tiers, time/place, account strikes and findings, content kind) evaluated over
/// 1,000 realistic signal sets, one thread: the tree-walking interpreter (baseline) against the compiled delegates, and the
/// compiled rules plus building the full decision (actions, strikes, explanation). Decisions/s per core = 1,000 / mean.
/// Run: dotnet run -c Release --project bench/Bulwark.Benchmarks -- --filter '*RuleEvaluationBenchmarks*'
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class RuleEvaluationBenchmarks
{
    private RuleSet _set = null!;
    private RuleInput[] _inputs = [];
    private RuleInput[] _everyday = [];
    private RuleSet _production = null!;
    private readonly List<RuleHit> _hits = new(64);
    private readonly EnforcementOptions _options = new();

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(2026);
        _set = RuleSet.Load([new RuleFile("bench.rules", SyntheticRules.Rules(rng, 50))], PolicyCatalogue.Default, SignalSchema.Default, out var errors)
            ?? throw new InvalidOperationException(string.Join("\n", errors));
        _inputs = Enumerable.Range(0, 1000).Select(_ => SyntheticRules.Input(rng)).ToArray();
        _everyday = Enumerable.Range(0, 1000).Select(_ => SyntheticRules.Input(rng, everyday: true)).ToArray();
        var fired = Compiled();
        Console.WriteLine($"// {_set.Rules.Count} rules, {_inputs.Average(i => i.Signals.Length):0.0} signals per input, {fired / 1000.0:0.0} rules fired per decision");
        _production = RuleSet.Load([new RuleFile("production.rules", SyntheticRules.ProductionLikeRules(rng, 50))], PolicyCatalogue.Default, SignalSchema.Default, out errors)
            ?? throw new InvalidOperationException(string.Join("\n", errors));
        var everydayFired = 0;
        foreach (var input in _everyday) { _hits.Clear(); _production.Evaluate(input, _hits); everydayFired += _hits.Count; }
        Console.WriteLine($"// production-like rules over everyday inputs: {_everyday.Average(i => i.Signals.Length):0.0} signals per input, {everydayFired / 1000.0:0.00} rules fired per decision");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = 1000)]
    public int Interpreted()
    {
        var fired = 0;
        foreach (var input in _inputs)
        {
            _hits.Clear();
            _set.Interpret(input, _hits);
            fired += _hits.Count;
        }
        return fired;
    }

    [Benchmark(OperationsPerInvoke = 1000)]
    public int Compiled()
    {
        var fired = 0;
        foreach (var input in _inputs)
        {
            _hits.Clear();
            _set.Evaluate(input, _hits);
            fired += _hits.Count;
        }
        return fired;
    }

    [Benchmark(OperationsPerInvoke = 1000)]
    public int CompiledWithDecision()
    {
        var actions = 0;
        foreach (var input in _inputs)
        {
            _hits.Clear();
            _set.Evaluate(input, _hits);
            actions += DecisionBuilder.Build(_set, _hits, input, "c1", "a1", _options).Actions.Count;
        }
        return actions;
    }

    /// <summary>Full decisions from a 50-rule production-like set (<see cref="SyntheticRules.ProductionLikeRules"/>) over everyday
    /// traffic (<see cref="SyntheticRules.Signals"/> with <c>everyday</c>), where few rules fire.</summary>
    [Benchmark(OperationsPerInvoke = 1000)]
    public int ProductionLikeWithDecisionEveryday()
    {
        var actions = 0;
        foreach (var input in _everyday)
        {
            _hits.Clear();
            _production.Evaluate(input, _hits);
            actions += DecisionBuilder.Build(_production, _hits, input, "c1", "a1", _options).Actions.Count;
        }
        return actions;
    }
}
