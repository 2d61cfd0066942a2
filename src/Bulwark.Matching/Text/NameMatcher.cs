using System.Buffers;
using System.Collections.Frozen;

namespace Bulwark.Matching.Text;

/// <summary>
/// Fuzzy matcher for handles, display names and bios against entity names (e.g. the UN consolidated list).
/// A blocking index (whole tokens, 3-char prefixes and suffixes, consonant skeletons) picks a few candidates,
/// which <see cref="NameScorer"/> then scores. Built once; immutable and thread-safe.
/// </summary>
public sealed class NameMatcher
{
    private readonly NameEntry[] _entries;
    private readonly Variant[] _variants;
    private readonly FrozenDictionary<string, int[]> _blocks;
    private readonly FrozenDictionary<string, int> _documentFrequency;
    private readonly FrozenDictionary<string, int[]> _weakExact;
    private readonly NameMatcherOptions _options;
    private readonly double _maxWeight;

    private NameMatcher(NameEntry[] entries, NameMatcherOptions options)
    {
        _entries = entries;
        _options = options;
        var variants = new List<Variant>();
        var weak = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var e = 0; e < entries.Length; e++)
        {
            var tokens = NameTokenizer.Tokenize(entries[e].Name, splitCamelCase: false, out _);
            if (tokens.Length == 0) continue;
            if (entries[e].Weak) { AddTo(weak, Joined(tokens), e); continue; }
            variants.Add(new Variant(e, tokens));
            // "abubakr" in a handle should meet "abu bakr": index the glued name too.
            if (tokens.Length > 1 && !tokens.Any(t => t.Abjad))
            {
                var glued = string.Concat(tokens.Select(t => t.Text));
                variants.Add(new Variant(e, [new NameToken(glued, NameTokenizer.Consonants(glued), false, Glued: true)]));
            }
        }
        _variants = [.. variants];
        _weakExact = weak.ToFrozenDictionary(kv => kv.Key, kv => kv.Value.Distinct().ToArray(), StringComparer.Ordinal);

        var df = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var v in _variants)
            foreach (var t in v.Tokens.Select(t => t.Text).Distinct()) df[t] = df.GetValueOrDefault(t) + 1;
        _documentFrequency = df.ToFrozenDictionary(StringComparer.Ordinal);
        _maxWeight = Weight("\0");
        foreach (var v in _variants) v.Weights = v.Tokens.Select(t => Weight(t.Text)).ToArray();

        var blocks = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < _variants.Length; i++)
            foreach (var t in _variants[i].Tokens)
                foreach (var key in BlockKeys(t)) AddTo(blocks, key, i);
        _blocks = blocks.ToFrozenDictionary(kv => kv.Key, kv => kv.Value.Distinct().ToArray(), StringComparer.Ordinal);
    }

    /// <summary>Builds a matcher over <paramref name="entries"/>.</summary>
    public static NameMatcher Build(IEnumerable<NameEntry> entries, NameMatcherOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return new NameMatcher([.. entries], options ?? new NameMatcherOptions());
    }

    /// <summary>Number of entries given to <see cref="Build"/>.</summary>
    public int EntryCount => _entries.Length;

    /// <summary>Entities whose best name scores at least <paramref name="threshold"/> (0..1), best first.</summary>
    public IReadOnlyList<NameMatch> Match(string? name, double threshold)
    {
        var results = new List<NameMatch>();
        if (string.IsNullOrWhiteSpace(name)) return results;
        var query = NameTokenizer.Tokenize(name, splitCamelCase: false, out var steps);
        if (query.Length == 0) return results;

        if (_weakExact.TryGetValue(Joined(query), out var exact))
            foreach (var e in exact)
                results.Add(new NameMatch(_entries[e].Id, _entries[e].Name, 1.0,
                    [.. query.Select(t => new TokenScore(t.Text, t.Text, 1.0, "exact"))], steps));

        AddScored(query, threshold, steps, results);
        // Random capitalisation also makes humps, so camel-case splitting is tried as a second reading.
        if (NameTokenizer.HasCamelHumps(name))
            AddScored(NameTokenizer.Tokenize(name, splitCamelCase: true, out _), threshold, steps, results);
        // Several entries (aliases) share an id: keep the best per id.
        return results.GroupBy(r => r.Id).Select(g => g.MaxBy(r => r.Score)!).OrderByDescending(r => r.Score).ToList();
    }

    private void AddScored(NameToken[] query, double threshold, NormalizationSteps steps, List<NameMatch> results)
    {
        if (query.Length == 0) return;
        var weights = query.Select(t => Weight(t.Text)).ToArray();
        var best = new Dictionary<int, (double Score, int Variant)>();
        foreach (var v in Candidates(query, weights))
        {
            var variant = _variants[v];
            var score = NameScorer.Score(query, weights, variant.Tokens, variant.Weights, _maxWeight, _options, null);
            var id = variant.Entry;
            if (score >= threshold && (!best.TryGetValue(id, out var b) || score > b.Score)) best[id] = (score, v);
        }
        foreach (var (entry, (score, v)) in best)
        {
            if (results.Any(r => r.Id == _entries[entry].Id && r.Score >= score)) continue;
            var explanation = new List<TokenScore>(query.Length);
            NameScorer.Score(query, weights, _variants[v].Tokens, _variants[v].Weights, _maxWeight, _options, explanation);
            results.Add(new NameMatch(_entries[entry].Id, _entries[entry].Name, score, explanation, steps));
        }
    }

    /// <summary>Variants sharing the most block weight with the query, at most <see cref="NameMatcherOptions.MaxCandidates"/>.</summary>
    private List<int> Candidates(NameToken[] query, double[] weights)
    {
        // Pooled arrays come back dirty from other users: clear (a 16 KB memset for the UN list).
        var acc = ArrayPool<float>.Shared.Rent(_variants.Length);
        Array.Clear(acc, 0, _variants.Length);
        var touched = new List<int>();
        try
        {
            for (var q = 0; q < query.Length; q++)
                foreach (var key in BlockKeys(query[q]))
                {
                    if (!_blocks.TryGetValue(key, out var postings)) continue;
                    // Whole-token hits count double: they are the strongest evidence.
                    var w = (float)(key[0] == '=' ? 2 * weights[q] : weights[q]);
                    foreach (var v in postings)
                    {
                        if (acc[v] == 0) touched.Add(v);
                        acc[v] += w;
                    }
                }
            if (touched.Count <= _options.MaxCandidates) return [.. touched];
            touched.Sort((a, b) => acc[b].CompareTo(acc[a]));
            return touched.GetRange(0, _options.MaxCandidates);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(acc);
        }
    }

    private static IEnumerable<string> BlockKeys(NameToken t)
    {
        yield return "=" + t.Text;
        if (t.Text.Length >= 4)
        {
            yield return "^" + t.Text[..3];
            yield return "$" + t.Text[^3..];
        }
        if (t.Consonants.Length >= 2) yield return "#" + t.Consonants;
    }

    /// <summary>Inverse document frequency; tokens never seen in the list weigh like the rarest ones.</summary>
    private double Weight(string token) =>
        Math.Log(1.0 + (double)_variants.Length / Math.Max(1, _documentFrequency.GetValueOrDefault(token)));

    private static string Joined(NameToken[] tokens) => string.Join(' ', tokens.Select(t => t.Text));

    private static void AddTo(Dictionary<string, List<int>> map, string key, int value)
    {
        if (!map.TryGetValue(key, out var list)) map[key] = list = [];
        list.Add(value);
    }

    private sealed class Variant(int entry, NameToken[] tokens)
    {
        public int Entry { get; } = entry;
        public NameToken[] Tokens { get; } = tokens;
        public double[] Weights { get; set; } = [];
    }
}
