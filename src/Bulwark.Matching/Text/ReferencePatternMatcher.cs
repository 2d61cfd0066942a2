namespace Bulwark.Matching.Text;

/// <summary>
/// The plain comparison beside <see cref="PatternMatcher"/>: normalise with <see cref="ReferenceTextNormalizer"/>, then
/// look for every key at every position. Quadratic and slow; property tests prove the fused normaliser and the automaton
/// together find exactly the same matches.
/// </summary>
internal sealed class ReferencePatternMatcher(IEnumerable<Pattern> patterns)
{
    private readonly PatternKeys _keys = new(patterns);

    public IReadOnlyList<TextMatch> FindAll(string text)
    {
        var normalized = ReferenceTextNormalizer.Normalize(text);
        var canonical = PatternKeys.Canonical(normalized.Text);
        var results = new List<TextMatch>();
        for (var k = 0; k < _keys.Keys.Length; k++)
        {
            var key = _keys.Keys[k];
            for (var at = canonical.IndexOf(key, StringComparison.Ordinal); at >= 0; at = canonical.IndexOf(key, at + 1, StringComparison.Ordinal))
            {
                var (start, end) = normalized.ToOriginal(at, key.Length);
                var p = _keys.Owners[k];
                if (!_keys.Accept(p, normalized.Text, at, at + key.Length, text, start, end)) continue;
                var steps = ReferenceTextNormalizer.Normalize(text[start..end]).Steps;
                results.Add(new TextMatch(_keys.Patterns[p].Id, start, end, normalized.Text.Substring(at, key.Length), steps));
            }
        }
        return results;
    }
}
