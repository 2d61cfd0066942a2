namespace Bulwark.Matching.Text;

/// <summary>
/// Scores a query's tokens against one name's tokens: every query/name token pair gets a similarity, pairs are
/// taken greedily from the most similar down (order-insensitive, each token used once), and the score is the
/// weighted share of both sides' token weight that was paired: Σ sim·(w_q + w_n) / (Σ w_q + Σ w_n), less a
/// penalty per unpaired token scaled by its rarity (w / <c>maxWeight</c>).
/// Weights are inverse document frequencies, so "mohammed" counts for less than "baghdadi".
/// </summary>
internal static class NameScorer
{
    private const int MaxTokens = 16;

    public static double Score(NameToken[] query, double[] queryWeights, NameToken[] name, double[] nameWeights,
        double maxWeight, NameMatcherOptions options, List<TokenScore>? explanation)
    {
        var nq = Math.Min(query.Length, MaxTokens);
        var nn = Math.Min(name.Length, MaxTokens);
        Span<double> sims = stackalloc double[MaxTokens * MaxTokens];
        Span<byte> hows = stackalloc byte[MaxTokens * MaxTokens];
        for (var i = 0; i < nq; i++)
            for (var j = 0; j < nn; j++)
                sims[i * MaxTokens + j] = Similarity(query[i], name[j], options, out hows[i * MaxTokens + j]);

        Span<int> pairOf = stackalloc int[MaxTokens];
        pairOf.Fill(-1);
        var usedName = 0;
        double paired = 0;
        for (var round = 0; round < Math.Min(nq, nn); round++)
        {
            int bi = -1, bj = -1;
            var best = 0.0;
            for (var i = 0; i < nq; i++)
            {
                if (pairOf[i] >= 0) continue;
                for (var j = 0; j < nn; j++)
                    if ((usedName & 1 << j) == 0 && sims[i * MaxTokens + j] > best) { best = sims[i * MaxTokens + j]; bi = i; bj = j; }
            }
            if (bi < 0) break;
            pairOf[bi] = bj;
            usedName |= 1 << bj;
            paired += best * (queryWeights[bi] + nameWeights[bj]);
        }

        double total = 0, penalty = 0;
        for (var i = 0; i < query.Length; i++)
        {
            total += queryWeights[i];
            if (i < MaxTokens && pairOf[i] < 0) penalty += queryWeights[i];
        }
        for (var j = 0; j < name.Length; j++)
        {
            total += nameWeights[j];
            if (j < MaxTokens && (usedName & 1 << j) == 0) penalty += nameWeights[j];
        }
        if (explanation is not null)
            for (var i = 0; i < query.Length; i++)
            {
                var j = i < MaxTokens ? pairOf[i] : -1;
                explanation.Add(j < 0
                    ? new TokenScore(query[i].Text, null, 0, "unmatched")
                    : new TokenScore(query[i].Text, name[j].Text, sims[i * MaxTokens + j], HowName(hows[i * MaxTokens + j])));
            }
        if (total == 0) return 0;
        var score = paired / total - options.UnpairedPenalty * penalty / Math.Max(maxWeight, 1e-9);
        return Math.Clamp(score, 0.0, 1.0);
    }

    private static string HowName(byte how) => how switch { 1 => "exact", 2 => "initial", 3 => "fuzzy", _ => "consonants" };

    private static double Similarity(NameToken q, NameToken n, NameMatcherOptions options, out byte how)
    {
        how = 1;
        if (string.Equals(q.Text, n.Text, StringComparison.Ordinal)) return 1.0;
        how = 2;
        if (q.Text.Length == 1 || n.Text.Length == 1) return q.Text[0] == n.Text[0] ? options.InitialSimilarity : 0;
        how = 3;
        var best = LengthsComparable(q, n, q.Text, n.Text, options) ? JaroWinkler.Similarity(q.Text, n.Text) : 0;
        if (best < options.MinTokenSimilarity) best = 0;
        else if (options.FuzzyExponent != 1.0) best = Math.Pow(best, options.FuzzyExponent);
        // Arabic script carries no short vowels: compare consonant skeletons, slightly discounted. Equal
        // one-letter skeletons count too ("ly" from علي against "li").
        if ((q.Abjad || n.Abjad)
            && (q.Consonants.Length >= 2 && n.Consonants.Length >= 2 || string.Equals(q.Consonants, n.Consonants, StringComparison.Ordinal))
            && LengthsComparable(q, n, q.Consonants, n.Consonants, options))
        {
            var c = 0.95 * JaroWinkler.Similarity(q.Consonants, n.Consonants);
            if (c > best && c >= options.MinTokenSimilarity) { best = c; how = 4; }
        }
        return best;
    }

    private static bool LengthsComparable(NameToken q, NameToken n, string a, string b, NameMatcherOptions options) =>
        !(q.Glued || n.Glued) || Math.Min(a.Length, b.Length) >= options.MinLengthRatio * Math.Max(a.Length, b.Length);
}
