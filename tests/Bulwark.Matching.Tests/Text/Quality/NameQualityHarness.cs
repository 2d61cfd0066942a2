using Bulwark.Matching.Text;

namespace Bulwark.Matching.Tests.Text.Quality;

/// <summary>Figures of one evaluation; rates are fractions of queries.</summary>
public sealed record QualityReport(
    double Threshold, int Queries, double Recall, double FalseMatchRate,
    int ObfuscatedQueries, double ObfuscatedRecall, double ObfuscatedFalseMatchRate,
    double ExactRecall, double ExactObfuscatedRecall, double ExactFalseMatchRate,
    IReadOnlyDictionary<string, double> ObfuscatedRecallByKind, IReadOnlyList<string> Misses,
    int SharedQueries = 0, double UnsharedFalseMatchRate = 0, double UnsharedObfuscatedFalseMatchRate = 0)
{
    public override string ToString() =>
        $"threshold {Threshold}: recall {Recall:P2} of {Queries}, false matches {FalseMatchRate:P2} " +
        $"({UnsharedFalseMatchRate:P2} without the {SharedQueries} names another record also carries); " +
        $"obfuscated recall {ObfuscatedRecall:P2} of {ObfuscatedQueries}, false matches {ObfuscatedFalseMatchRate:P2} ({UnsharedObfuscatedFalseMatchRate:P2} unshared); " +
        $"exact baseline recall {ExactRecall:P2}, obfuscated {ExactObfuscatedRecall:P2}, false matches {ExactFalseMatchRate:P2}; by kind: " +
        string.Join(", ", ObfuscatedRecallByKind.Select(kv => $"{kv.Key} {kv.Value:P1}"));
}

/// <summary>
/// Quality of <see cref="NameMatcher"/> on the UN consolidated list. Definitions:
/// <list type="bullet">
/// <item>Queries: every non-weak variant (primary names, Good/a.k.a./f.k.a. aliases, original-script names).</item>
/// <item>Recall: the matcher is built from all variants (weak ones as exact-only); a query is resolved when
/// its own dataid is among the top-scoring results at or above the threshold (ties count, as several
/// records share identical aliases).</item>
/// <item>False match rate (hard negatives): records are split into five folds by dataid; each fold's queries
/// run against a matcher built from the other four folds only, so any result at or above the threshold is
/// a different record: a false match.</item>
/// <item>Obfuscated: one obfuscation per query (the kind rotates; original-script names are romanised),
/// from <see cref="Random"/> seeded with <see cref="Seed"/>; same recall and false-match definitions.</item>
/// <item>Shared names: a query whose lower-cased, whitespace-collapsed text is also a listed name of another record
/// (the same person or group listed twice, relatives listed under one name). Such a name is not a negative for that other
/// record, so the false-match rate is reported both over all queries and over the unshared ones.</item>
/// <item>Exact baseline: lower-cased, whitespace-collapsed dictionary lookup of the raw query.</item>
/// </list>
/// </summary>
public static class NameQualityHarness
{
    public const int Seed = 20251120;
    private const int Folds = 5;

    public static QualityReport Evaluate(IReadOnlyList<UnNameVariant> variants, double threshold, NameMatcherOptions? options = null)
    {
        var strong = variants.Where(v => !v.IsWeak).ToList();
        var random = new Random(Seed);
        var obfuscated = new List<(UnNameVariant Variant, string Kind, string Query)>();
        for (var i = 0; i < strong.Count; i++)
        {
            var v = strong[i];
            var kind = v.Kind == "original_script" ? (ScholarlyRomanisation.Covers(v.Name) ? "transliteration" : null)
                                                   : Obfuscator.LatinKinds[i % Obfuscator.LatinKinds.Length];
            if (kind is not null) obfuscated.Add((v, kind, Obfuscator.Apply(kind, v.Name, random)));
        }

        var full = Build(variants, _ => true, options);
        var misses = new List<string>();
        var recall = Rate(strong, v => Resolves(full.Match(v.Name, threshold), v.DataId, misses, v.Name));
        var obfuscatedHits = obfuscated.Select(o => (o.Kind, Hit: Resolves(full.Match(o.Query, threshold), o.Variant.DataId, misses, o.Query))).ToList();

        var exact = variants.ToLookup(v => Lite(v.Name), v => v.DataId);
        bool Shared(UnNameVariant v) => exact[Lite(v.Name)].Any(id => id != v.DataId);
        int falseMatches = 0, obfuscatedFalse = 0, unsharedFalse = 0, unsharedObfuscatedFalse = 0;
        for (var f = 0; f < Folds; f++)
        {
            var fold = f;
            var others = Build(variants, v => v.DataId % Folds != fold, options);
            foreach (var v in strong.Where(v => v.DataId % Folds == fold && others.Match(v.Name, threshold).Count > 0))
            {
                falseMatches++;
                if (!Shared(v)) unsharedFalse++;
            }
            foreach (var o in obfuscated.Where(o => o.Variant.DataId % Folds == fold && others.Match(o.Query, threshold).Count > 0))
            {
                obfuscatedFalse++;
                if (!Shared(o.Variant)) unsharedObfuscatedFalse++;
            }
        }
        var shared = strong.Count(Shared);
        var sharedObfuscated = obfuscated.Count(o => Shared(o.Variant));
        return new QualityReport(
            threshold, strong.Count, recall, (double)falseMatches / strong.Count,
            obfuscated.Count, Rate(obfuscatedHits, h => h.Hit), (double)obfuscatedFalse / obfuscated.Count,
            Rate(strong, v => exact[Lite(v.Name)].Contains(v.DataId)),
            Rate(obfuscated, o => exact[Lite(o.Query)].Contains(o.Variant.DataId)),
            Rate(strong, v => exact[Lite(v.Name)].Any(id => id % Folds != v.DataId % Folds)),
            obfuscatedHits.GroupBy(h => h.Kind).ToDictionary(g => g.Key, g => Rate(g, h => h.Hit)),
            misses, shared, (double)unsharedFalse / (strong.Count - shared),
            (double)unsharedObfuscatedFalse / (obfuscated.Count - sharedObfuscated));
    }

    private static NameMatcher Build(IReadOnlyList<UnNameVariant> variants, Func<UnNameVariant, bool> include, NameMatcherOptions? options) =>
        NameMatcher.Build(variants.Where(include).Select(v => new NameEntry(v.DataId, v.Name, v.IsWeak)), options);

    private static bool Resolves(IReadOnlyList<NameMatch> results, int dataId, List<string> misses, string query)
    {
        var hit = results.Count > 0 && results.TakeWhile(r => r.Score >= results[0].Score).Any(r => r.Id == dataId);
        if (!hit) misses.Add($"{dataId}: {query} -> {(results.Count > 0 ? $"{results[0].Id} {results[0].Name} {results[0].Score:F3}" : "none")}");
        return hit;
    }

    private static double Rate<T>(IEnumerable<T> items, Func<T, bool> hit)
    {
        var list = items.ToList();
        return list.Count == 0 ? 1.0 : (double)list.Count(hit) / list.Count;
    }

    private static string Lite(string s) => string.Join(' ', s.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
