using System.Globalization;
using Bulwark.Core.Signals.Classifiers;
using Bulwark.Core.Signals.Classifiers.Training;

namespace Bulwark.Core.Signals.Semantic;

/// <summary>
/// Neutral and look-alike negatives for the sentence-meaning head (since head 1.1.0), read at training time where they lie and
/// never copied into the repository:
/// <list type="bullet">
/// <item>Davidson et al. 2017 (MIT): the tweets labelled <c>neither</c> (ordinary talk, neither hateful nor offensive), in the
/// same 80 % of tweets (by a hash of the text) the n-gram model trains on; the other 20 % are kept as a held-out check of how
/// often the head fires on ordinary text;</item>
/// <item>the benign rows of the n-gram model's generated training data, English and Italian (<c>SyntheticCorpus</c> and
/// <c>GrammarCorpus</c>, which is built from the Morph-it! conjugation table when it is present): violent idioms ("my boss will
/// kill me"), games, sport, news reports of attacks, history, counter-speech and reported threats quoting what they condemn,
/// negated and questioned threats — every row labelled neither threat nor glorification nor hate, with the same HateCheck
/// filter as the model's training data (no row equals a HateCheck case).</item>
/// </list>
/// Both are deterministic samples (every N-th row in a fixed order), so the same files give the same rows.
/// </summary>
public static class SemanticNegatives
{
    /// <summary>Davidson's <c>neither</c> tweets in the training buckets, and those in the held-out bucket.</summary>
    public static (List<SemanticRow> Train, List<string> HeldOut, string Record) ReadDavidsonNeither(string testdataText, float weight, int every)
    {
        if (every < 1) throw new ArgumentOutOfRangeException(nameof(every), "take every N-th row: N must be at least 1");
        var path = Path.Combine(testdataText, "davidson_hate_offensive_en", "labeled_data.csv");
        if (!File.Exists(path)) throw new FileNotFoundException($"Davidson file '{path}' does not exist.", path);
        var (h, rows) = Csv.Read(path);
        if (!h.TryGetValue("tweet", out var tweet) || !h.TryGetValue("class", out var cls))
            throw new InvalidDataException($"{path}: expected the columns 'tweet' and 'class'.");
        var train = new List<SemanticRow>();
        var held = new List<string>();
        var k = 0;
        foreach (var r in rows)
        {
            if (r[cls].Trim() != "2") continue;
            var text = r[tweet].Trim();
            if (text.Length == 0) continue;
            if (TrainingDataBuilder.Bucket(text, 5) == 0) { held.Add(text); continue; }
            if (k++ % every == 0) train.Add(new SemanticRow(text, false, weight, "davidson-neither"));
        }
        return (train, held, string.Create(CultureInfo.InvariantCulture,
            $"davidson_hate_offensive_en labeled_data.csv: {train.Count} 'neither' tweets (every {every}. of the training buckets), weight {weight}; {held.Count} held out"));
    }

    /// <summary>The benign rows of the n-gram model's generated training data, every N-th per language.</summary>
    public static (List<SemanticRow> Rows, string Record) ReadGeneratedBenign(string testdataText, float weight, int every)
    {
        if (every < 1) throw new ArgumentOutOfRangeException(nameof(every), "take every N-th row: N must be at least 1");
        var hateCheck = Path.Combine(testdataText, "hatecheck_en", "test_suite_cases.csv");
        var cases = File.Exists(hateCheck) ? LabelledText.ReadFile(hateCheck).Select(r => TrainingDataBuilder.Key(r.Text)).ToHashSet(StringComparer.Ordinal) : [];
        var verbs = Path.Combine(testdataText, "..", "lexicons", "italian_morphology", "verbs", "dist", "verbs.json");
        static bool Benign(LabelledText r) =>
            r.Labels.TryGetValue(ClassifierLabels.Threat, out var t) && !t
            && r.Labels.TryGetValue(ClassifierLabels.Glorification, out var g) && !g
            && !(r.Labels.TryGetValue(ClassifierLabels.Hate, out var h) && h);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var counters = new Dictionary<string, int>(StringComparer.Ordinal);
        var rows = new List<SemanticRow>();
        foreach (var r in SyntheticCorpus.Generate(TrainingDataBuilder.Seed).Concat(GrammarCorpus.Generate(TrainingDataBuilder.Seed, File.Exists(verbs) ? verbs : null)))
        {
            if (!Benign(r)) continue;
            var key = TrainingDataBuilder.Key(r.Text);
            if (cases.Contains(key) || !seen.Add(key)) continue;
            var lang = r.Language ?? "en";
            var n = counters.GetValueOrDefault(lang);
            counters[lang] = n + 1;
            if (n % every == 0) rows.Add(new SemanticRow(r.Text, false, weight, $"generated-benign-{lang}"));
        }
        var byLang = rows.GroupBy(r => r.Source).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key[^2..]} {g.Count()}");
        return (rows, string.Create(CultureInfo.InvariantCulture,
            $"generated benign rows of the n-gram model's training data (SyntheticCorpus + GrammarCorpus, seed {TrainingDataBuilder.Seed}{(File.Exists(verbs) ? ", Morph-it! verbs" : ", no verb table")}): {rows.Count} ({string.Join(", ", byLang)}; every {every}.), weight {weight}"));
    }
}
