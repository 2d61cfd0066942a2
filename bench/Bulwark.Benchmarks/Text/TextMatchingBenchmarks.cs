using System.Buffers;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Bulwark.Matching.Text;

namespace Bulwark.Benchmarks.Text;

/// <summary>
/// Text screening on the same 1 MiB of mixed-language text (Latin, Arabic, Cyrillic, emoji, obfuscations) and the same
/// 100,000 patterns, in one run:
/// <list type="bullet">
/// <item>the baseline: .NET's SearchValues&lt;string&gt; (OrdinalIgnoreCase; no normalisation, no word boundaries, and
/// it only finds where a first match starts, so the loop restarts one char later);</item>
/// <item><c>Screening</c>: PatternMatcher.FindAll, fused normaliser, every match with its span and steps;</item>
/// <item><c>ScreeningReferenceNormaliser</c>: the same matcher with the multi-pass reference normaliser (the old path);</item>
/// <item>the breakdown: each normaliser alone into a reused buffer, and the automaton alone over normalised text.</item>
/// </list>
/// Throughput = <see cref="Utf8Bytes"/> (printed at setup) / mean.
/// Run: dotnet run -c Release --project bench/Bulwark.Benchmarks -- --filter '*TextMatchingBenchmarks*'
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class TextMatchingBenchmarks
{
    private const int PatternTotal = 100_000;
    private string _text = "";
    private string[] _patterns = [];
    private string _normalized = "";
    private PatternMatcher _matcher = null!;
    private SearchValues<string> _searchValues = null!;
    private readonly NormalizationBuffer _buffer = new();

    /// <summary>Size of the text in UTF-8, the unit of the MB/s figures.</summary>
    public int Utf8Bytes { get; private set; }

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
        _normalized = TextNormalizer.Normalize(_text).Text;
        Utf8Bytes = System.Text.Encoding.UTF8.GetByteCount(_text);
        Console.WriteLine($"// Text: {_text.Length:N0} chars, {Utf8Bytes:N0} UTF-8 bytes; {_matcher.FindAll(_text).Count:N0} matches ({_matcher.CountKeyHits(_normalized):N0} raw key hits); {SearchValuesBaseline():N0} SearchValues hits");
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
    public int Screening() => _matcher.FindAll(_text).Count;

    [Benchmark]
    public int ScreeningReferenceNormaliser() => _matcher.FindAll<ReferenceNormalizerPass>(_text).Count;

    [Benchmark]
    public int NormaliseFused()
    {
        TextNormalizer.NormalizeInto(_text, _buffer);
        return _buffer.Length;
    }

    [Benchmark]
    public int NormaliseReference()
    {
        ReferenceTextNormalizer.NormalizeInto(_text, _buffer);
        return _buffer.Length;
    }

    [Benchmark]
    public int AutomatonOnly() => _matcher.CountKeyHits(_normalized);
}
