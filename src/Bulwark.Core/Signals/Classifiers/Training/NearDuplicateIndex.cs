namespace Bulwark.Core.Signals.Classifiers.Training;

/// <summary>
/// Finds how close a sentence comes to any of a set of held-out texts: the Jaccard similarity of their normalised word bigrams
/// (with start and end markers, so short sentences count too). Used to keep synthetic training sentences that merely reword an
/// evaluation case, e.g. the same frame with one word changed, out of the training set.
/// </summary>
internal sealed class NearDuplicateIndex
{
    private readonly List<HashSet<string>> _texts = [];
    private readonly Dictionary<string, List<int>> _byBigram = new(StringComparer.Ordinal);

    public NearDuplicateIndex(IEnumerable<string> texts)
    {
        foreach (var text in texts)
        {
            var bigrams = Bigrams(text);
            var id = _texts.Count;
            _texts.Add(bigrams);
            foreach (var b in bigrams)
            {
                if (!_byBigram.TryGetValue(b, out var ids)) _byBigram[b] = ids = [];
                ids.Add(id);
            }
        }
    }

    /// <summary>The highest Jaccard similarity to any indexed text (0 when none shares a bigram).</summary>
    public double Similarity(string text)
    {
        var bigrams = Bigrams(text);
        var shared = new Dictionary<int, int>();
        foreach (var b in bigrams)
            if (_byBigram.TryGetValue(b, out var ids))
                foreach (var id in ids) shared[id] = shared.GetValueOrDefault(id) + 1;
        var best = 0.0;
        foreach (var (id, n) in shared) best = Math.Max(best, n / (double)(bigrams.Count + _texts[id].Count - n));
        return best;
    }

    internal static HashSet<string> Bigrams(string text)
    {
        var words = TrainingDataBuilder.Key(text).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var set = new HashSet<string>(StringComparer.Ordinal);
        var previous = "<s>";
        foreach (var w in words.Append("</s>"))
        {
            set.Add(previous + " " + w);
            previous = w;
        }
        return set;
    }
}
