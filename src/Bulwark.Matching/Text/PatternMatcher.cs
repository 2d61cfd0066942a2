namespace Bulwark.Matching.Text;

/// <summary>
/// Finds names, aliases, slogans and hashtags in text after <see cref="TextNormalizer"/> has undone
/// obfuscation. Built once, immutable and safe to share between threads. Matches are whole words and
/// carry original offsets and the normalisation steps that were needed to find them.
/// </summary>
public sealed class PatternMatcher
{
    // Long texts are scanned in windows so working memory stays bounded; windows end at whitespace and
    // overlap by this many chars, so only a match longer than that across a window edge can be missed.
    internal const int WindowSize = 1 << 16;
    internal const int WindowOverlap = 1024;

    private readonly PatternKeys _keys;
    private readonly AhoCorasick _automaton;

    private PatternMatcher(PatternKeys keys)
    {
        _keys = keys;
        _automaton = new AhoCorasick(keys.Keys);
    }

    /// <summary>Builds a matcher; patterns that normalise to nothing are ignored.</summary>
    public static PatternMatcher Build(IEnumerable<Pattern> patterns) => new(new PatternKeys(patterns));

    /// <summary>Number of patterns given to <see cref="Build"/>.</summary>
    public int PatternCount => _keys.Patterns.Length;

    internal int StateCount => _automaton.StateCount;

    /// <summary>Every match in <paramref name="text"/>, ordered by end position in the normalised text.</summary>
    public IReadOnlyList<TextMatch> FindAll(string? text) => FindAll<FusedNormalizerPass>(text);

    /// <summary><see cref="FindAll(string?)"/> with a chosen normaliser; benchmarks run the reference one through it.</summary>
    internal IReadOnlyList<TextMatch> FindAll<TNormalizer>(string? text) where TNormalizer : INormalizerPass
    {
        var results = new List<TextMatch>();
        if (string.IsNullOrEmpty(text)) return results;
        var buffer = NormalizationBuffer.Rent();
        try
        {
            for (var start = 0; start < text.Length;)
            {
                var end = WindowEnd(text, start, WindowSize);
                var windowEnd = WindowEnd(text, end, WindowOverlap);
                TNormalizer.NormalizeInto(text.AsSpan(start, windowEnd - start), buffer, start);
                var sink = new Collector<TNormalizer>(this, text, buffer, end, results);
                _automaton.Search(buffer.Text, ref sink);
                start = end;
            }
        }
        finally
        {
            NormalizationBuffer.Return(buffer);
        }
        return results;
    }

    /// <summary>The automaton alone over already normalised text: how many raw key hits; for benchmarks.</summary>
    internal int CountKeyHits(ReadOnlySpan<char> normalized)
    {
        var sink = new HitCounter();
        _automaton.Search(normalized, ref sink);
        return sink.Hits;
    }

    private struct HitCounter : IKeySink
    {
        public int Hits;

        public void OnKey(int key, int start, int end) => Hits++;
    }

    private static int WindowEnd(string text, int from, int size)
    {
        if (text.Length - from <= size) return text.Length;
        var end = from + size;
        var limit = Math.Min(text.Length, end + WindowOverlap);
        while (end < limit && !char.IsWhiteSpace(text[end])) end++;
        return end;
    }

    private struct Collector<TNormalizer>(PatternMatcher owner, string text, NormalizationBuffer buffer, int reportBefore, List<TextMatch> results) : IKeySink
        where TNormalizer : INormalizerPass
    {
        public readonly void OnKey(int key, int start, int end)
        {
            var originalStart = buffer.Starts[start];
            if (originalStart >= reportBefore) return;  // the next window reports it
            if (!PatternKeys.OnWordBoundaries(buffer.Text, start, end)) return;
            var originalEnd = buffer.Ends[end - 1];
            var pattern = owner._keys.KeyOwners[key];
            if (pattern.Weak && !owner._keys.IsExactEnough(pattern.Pattern, text, originalStart, originalEnd)) return;
            var steps = TNormalizer.StepsOf(text.AsSpan(originalStart, originalEnd - originalStart));
            results.Add(new TextMatch(pattern.PatternId, originalStart, originalEnd, new string(buffer.Chars, start, end - start), steps));
        }
    }
}
