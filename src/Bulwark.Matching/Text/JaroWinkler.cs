namespace Bulwark.Matching.Text;

/// <summary>Jaro–Winkler similarity (Winkler 1990): prefix scale 0.1, prefix up to 4 chars. Allocation-free.</summary>
internal static class JaroWinkler
{
    public static double Similarity(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (a.SequenceEqual(b)) return 1.0;
        if (a.Length == 0 || b.Length == 0) return 0.0;
        if (a.Length > b.Length) { var t = a; a = b; b = t; }
        var window = Math.Max(0, b.Length / 2 - 1);
        // Names are short; longer tokens fall back to heap flags, which is rare.
        Span<bool> matchedB = b.Length <= 128 ? stackalloc bool[b.Length] : new bool[b.Length];
        Span<bool> matchedA = a.Length <= 128 ? stackalloc bool[a.Length] : new bool[a.Length];
        var matches = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var lo = Math.Max(0, i - window);
            var hi = Math.Min(b.Length - 1, i + window);
            for (var j = lo; j <= hi; j++)
            {
                if (matchedB[j] || a[i] != b[j]) continue;
                matchedA[i] = matchedB[j] = true;
                matches++;
                break;
            }
        }
        if (matches == 0) return 0.0;
        var transpositions = 0;
        for (int i = 0, j = 0; i < a.Length; i++)
        {
            if (!matchedA[i]) continue;
            while (!matchedB[j]) j++;
            if (a[i] != b[j]) transpositions++;
            j++;
        }
        double m = matches;
        var jaro = (m / a.Length + m / b.Length + (m - transpositions / 2.0) / m) / 3.0;
        var prefix = 0;
        while (prefix < 4 && prefix < a.Length && a[prefix] == b[prefix]) prefix++;
        return jaro + prefix * 0.1 * (1 - jaro);
    }
}
