using System.Buffers;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Bulwark.Matching.Text;

namespace Bulwark.Benchmarks.Text;

/// <summary>
/// PatternMatcher (normalisation included) against .NET's SearchValues&lt;string&gt; (OrdinalIgnoreCase, no
/// normalisation, no word boundaries) on the same 1 MB of mixed-language text and 100,000 patterns.
/// Run: dotnet run -c Release --project bench/Bulwark.Benchmarks -- --filter '*TextMatchingBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class TextMatchingBenchmarks
{
    private const int PatternTotal = 100_000;
    private string _text = "";
    private string[] _patterns = [];
    private PatternMatcher _matcher = null!;
    private SearchValues<string> _searchValues = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        string Word(int min, int max) => string.Create(random.Next(min, max), random, (s, r) => { for (var i = 0; i < s.Length; i++) s[i] = (char)('a' + r.Next(26)); });
        _patterns = Enumerable.Range(0, PatternTotal).Select(i => i % 3 == 0 ? Word(5, 12) + " " + Word(4, 10) : Word(6, 14)).ToArray();
        string[] vocabulary = ["the", "video", "posted", "today", "about", "news", "and", "crisis", "في", "الدولة", "новости", "сегодня", "😀", "#breaking", "i.s.i.s", "d4esh"];
        var sb = new System.Text.StringBuilder();
        while (sb.Length < 1 << 20)
            sb.Append(random.Next(50) == 0 ? _patterns[random.Next(PatternTotal)] : vocabulary[random.Next(vocabulary.Length)]).Append(' ');
        _text = sb.ToString();
        _matcher = PatternMatcher.Build(_patterns.Select((p, i) => new Pattern(i, p)));
        _searchValues = SearchValues.Create(_patterns, StringComparison.OrdinalIgnoreCase);
    }

    [Benchmark(Baseline = true)]
    public int SearchValuesBaseline()
    {
        var count = 0;
        var span = _text.AsSpan();
        for (int at; (at = span.IndexOfAny(_searchValues)) >= 0; span = span[(at + 1)..]) count++;
        return count;
    }

    [Benchmark]
    public int PatternMatcherWithNormalisation() => _matcher.FindAll(_text).Count;

    [Benchmark]
    public int NormaliseOnly() => TextNormalizer.Normalize(_text).Text.Length;
}
