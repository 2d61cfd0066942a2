using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Bulwark.Core.Signals.Entities.Importers;
using Bulwark.Matching.Text;

namespace Bulwark.Benchmarks.Text;

/// <summary>
/// Designated-entity screening at registry scale. Name screening: 1,000 queries (every 4th strong name variant of the real
/// 2025-11-20 UN list, half of them obfuscated: case, leetspeak, a zero-width space) per operation against a NameMatcher over the whole
/// list, beside an exact-lookup baseline (normalised name → id dictionary) on the same queries. Build: the text and name matchers for
/// 100,000 patterns (every UN name and alias plus a synthetic lexicon), as the screening service builds them on a registry change.
/// Needs the shared test data (BULWARK_TESTDATA or ../shared/testdata).
/// Run: dotnet run -c Release --project bench/Bulwark.Benchmarks -- --filter '*EntityScreeningBenchmarks*'
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class EntityScreeningBenchmarks
{
    private const int Queries = 1000;
    private const int PatternTotal = 100_000;
    private NameMatcher _names = null!;
    private NameMatcher _names48 = null!;
    private Dictionary<string, int> _exact = [];
    private string[] _queries = [];
    private Pattern[] _patterns = [];
    private NameEntry[] _nameEntries = [];

    [GlobalSetup]
    public void Setup()
    {
        var records = UnConsolidatedListParser.ParseFile(UnList("un_sc_consolidated_2025-11-20.xml")).Records;
        _nameEntries = records.SelectMany((r, i) => r.Names.Select(n => new NameEntry(i, n.Name, n.Grade == NameGrade.Weak))).ToArray();
        _names = NameMatcher.Build(_nameEntries);
        _names48 = NameMatcher.Build(_nameEntries, new NameMatcherOptions { MaxCandidates = 48 });
        _exact = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var e in _nameEntries) _exact.TryAdd(TextNormalizer.Normalize(e.Name).Text, e.Id);

        var strong = _nameEntries.Where(e => !e.Weak).Select(e => e.Name).Where((_, i) => i % 4 == 0).ToList();
        _queries = Enumerable.Range(0, Queries).Select(i =>
        {
            var name = strong[i % strong.Count];
            return (i % 2) switch
            {
                0 => name,
                _ => name.ToLowerInvariant().Replace('a', '4').Replace('o', '0').Insert(Math.Min(3, name.Length), "\u200B"),
            };
        }).ToArray();

        var random = new Random(42);
        string Word(int min, int max) => string.Create(random.Next(min, max), random, (s, r) => { for (var i = 0; i < s.Length; i++) s[i] = (char)('a' + r.Next(26)); });
        var un = _nameEntries.Select(e => new Pattern(0, e.Name, e.Weak)).ToList();
        _patterns = un.Concat(Enumerable.Range(0, PatternTotal - un.Count).Select(i => new Pattern(0, i % 3 == 0 ? Word(5, 12) + " " + Word(4, 10) : Word(6, 14))))
            .Select((p, i) => p with { Id = i }).ToArray();

        // Retained size of a built 100k-pattern matcher (MemoryDiagnoser reports what a build allocates, garbage included).
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var matcher = PatternMatcher.Build(_patterns);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine($"// Retained by a 100,000-pattern PatternMatcher: {(after - before) / (1024.0 * 1024.0):F1} MiB ({matcher.PatternCount} patterns)");
        GC.KeepAlive(matcher);
    }

    private static string UnList(string file)
    {
        var root = Environment.GetEnvironmentVariable("BULWARK_TESTDATA");
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); root is null && dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "testdata");
            if (Directory.Exists(candidate)) root = candidate;
        }
        return Path.Combine(root ?? throw new InvalidOperationException("Shared test data not found: set BULWARK_TESTDATA."), "sanctions", "un", file);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Queries)]
    public int ExactLookupBaseline()
    {
        var found = 0;
        foreach (var q in _queries)
            if (_exact.ContainsKey(TextNormalizer.Normalize(q).Text)) found++;
        return found;
    }

    [Benchmark(OperationsPerInvoke = Queries)]
    public int NameScreening()
    {
        var found = 0;
        foreach (var q in _queries) found += _names.Match(q, 0.94).Count;
        return found;
    }

    /// <summary>The earlier default of 48 fully scored candidates per query, for comparison.</summary>
    [Benchmark(OperationsPerInvoke = Queries)]
    public int NameScreening48Candidates()
    {
        var found = 0;
        foreach (var q in _queries) found += _names48.Match(q, 0.94).Count;
        return found;
    }

    [Benchmark]
    public int BuildTextMatcher100k() => PatternMatcher.Build(_patterns).PatternCount;

    [Benchmark]
    public int BuildNameMatcherUnList() => NameMatcher.Build(_nameEntries).EntryCount;
}
