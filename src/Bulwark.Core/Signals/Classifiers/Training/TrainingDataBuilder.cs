using Bulwark.Matching.Text;

namespace Bulwark.Core.Signals.Classifiers.Training;

/// <summary>
/// Assembles the training set of the shipped model from sources whose licences allow it, and the evaluation files beside it:
/// <list type="bullet">
/// <item>synthetic English and Italian templates (<see cref="SyntheticCorpus"/>);</item>
/// <item>Davidson et al. 2017 (MIT): 80 % of tweets by a hash of the text; hate → <c>hate</c>, offensive and neither → negatives;</item>
/// <item>Fifth Tribe ISIS supporter tweets (CC0): accounts split 80/20 by a hash of the user name; tweets of training accounts are
/// weak <c>glorification</c> positives (weight 0.1: many are news or chatter).</item>
/// </list>
/// Stormfront (CC BY-SA) and HateCheck are evaluation only. Synthetic sentences that equal a HateCheck case after normalisation
/// are dropped, so no evaluation case is trained on.
/// </summary>
public static class TrainingDataBuilder
{
    public const int Seed = 7;
    public const float IsisWeight = 0.1f;

    /// <summary>A synthetic sentence whose word bigrams overlap a HateCheck case's this much (Jaccard) is dropped as a near-duplicate.</summary>
    public const double NearDuplicateJaccard = 0.6;

    public sealed record Result(int TrainRows, IReadOnlyDictionary<string, int> RowsBySource, int DroppedAsHateCheckOverlap, IReadOnlyList<string> Files)
    {
        /// <summary>Of <see cref="DroppedAsHateCheckOverlap"/>, those that were near-duplicates rather than equal.</summary>
        public int DroppedAsNearDuplicate { get; init; }
    }

    /// <param name="isisInTraining">Also train on the training accounts' tweets (weak positives). Off for the shipped model:
    /// account-level labels taught the head the accounts' style and it then flagged a third of neutral tweets (docs/model-card.md).</param>
    public static Result Build(string testdataText, string outDirectory, Action<string>? log = null, bool isisInTraining = false)
    {
        Directory.CreateDirectory(outDirectory);
        var train = new List<LabelledText>();
        var files = new List<string>();

        var hateCheck = Path.Combine(testdataText, "hatecheck_en", "test_suite_cases.csv");
        var caseTexts = File.Exists(hateCheck) ? LabelledText.ReadFile(hateCheck).Select(r => r.Text).ToList() : [];
        var heldOutCases = caseTexts.Select(Key).ToHashSet(StringComparer.Ordinal);
        var nearCases = new NearDuplicateIndex(caseTexts);
        var synthetic = SyntheticCorpus.Generate(Seed).ToList();
        var dropped = synthetic.RemoveAll(r => heldOutCases.Contains(Key(r.Text)));
        var near = synthetic.RemoveAll(r => nearCases.Similarity(r.Text) >= NearDuplicateJaccard);
        train.AddRange(synthetic);
        log?.Invoke($"synthetic: {synthetic.Count} rows ({dropped} dropped because they equal a HateCheck case, {near} as near-duplicates of one)");

        // Davidson: class 0 hate, 1 offensive, 2 neither.
        var davidsonEval = new List<LabelledText>();
        var neutral = new List<LabelledText>();
        var davidson = Path.Combine(testdataText, "davidson_hate_offensive_en", "labeled_data.csv");
        if (File.Exists(davidson))
        {
            var (h, rows) = Csv.Read(davidson);
            foreach (var r in rows)
            {
                var text = r[h["tweet"]];
                var cls = r[h["class"]].Trim();
                var labels = new Dictionary<string, bool> { [ClassifierLabels.Hate] = cls == "0", [ClassifierLabels.Threat] = false, [ClassifierLabels.Glorification] = false };
                var row = new LabelledText(text, labels, 1, "en", "davidson");
                if (Bucket(text, 5) == 0)
                {
                    davidsonEval.Add(row with { Labels = new Dictionary<string, bool> { [ClassifierLabels.Hate] = cls == "0" } });
                    if (cls == "2") neutral.Add(row with { Source = "davidson-neither" });
                }
                else train.Add(row);
            }
            log?.Invoke($"davidson: {rows.Count - davidsonEval.Count} training rows, {davidsonEval.Count} held out");
        }

        var isisEval = new List<LabelledText>();
        var isis = Path.Combine(testdataText, "isis_fanboy_tweets_fifthtribe", "tweets.csv");
        if (File.Exists(isis))
        {
            var (h, rows) = Csv.Read(isis);
            var trainAccounts = new HashSet<string>();
            var evalAccounts = new HashSet<string>();
            foreach (var r in rows)
            {
                var user = r[h["username"]];
                var row = new LabelledText(r[h["tweets"]], new Dictionary<string, bool> { [ClassifierLabels.Glorification] = true }, IsisWeight, null, "isis-fanboy");
                if (Bucket(user, 5) == 0) { isisEval.Add(row with { Weight = 1 }); evalAccounts.Add(user); }
                else
                {
                    if (isisInTraining) train.Add(row);
                    trainAccounts.Add(user);
                }
            }
            log?.Invoke($"isis: {trainAccounts.Count} training accounts ({rows.Count - isisEval.Count} tweets, {(isisInTraining ? "used" : "not used")}), {evalAccounts.Count} held-out accounts ({isisEval.Count} tweets)");
        }

        var stormfrontEval = new List<LabelledText>();
        var stormfront = Path.Combine(testdataText, "stormfront_vicomtech", "stormfront_sentences_labelled.csv");
        if (File.Exists(stormfront))
        {
            var (h, rows) = Csv.Read(stormfront);
            foreach (var r in rows)
            {
                var label = r[h["label"]].Trim();
                if (label is not ("hate" or "noHate")) continue;
                var row = new LabelledText(r[h["text"]], new Dictionary<string, bool> { [ClassifierLabels.Hate] = label == "hate" }, 1, "en", "stormfront");
                stormfrontEval.Add(row);
                if (label == "noHate") neutral.Add(row with { Source = "stormfront-nohate" });
            }
        }

        var trainPath = Path.Combine(outDirectory, "train.csv");
        LabelledText.WriteFile(trainPath, train);
        files.Add(trainPath);
        void Write(string name, List<LabelledText> rows)
        {
            if (rows.Count == 0) return;
            var path = Path.Combine(outDirectory, name);
            LabelledText.WriteFile(path, rows);
            files.Add(path);
        }
        Write("eval-davidson-heldout.csv", davidsonEval);
        Write("eval-isis-heldout-accounts.csv", isisEval);
        Write("eval-stormfront.csv", stormfrontEval);
        // Neutral text: every label is 0, so each head's false-positive rate is its error rate here.
        Write("eval-neutral.csv", neutral.Select(r => r with { Labels = new Dictionary<string, bool> { [ClassifierLabels.Threat] = false, [ClassifierLabels.Glorification] = false, [ClassifierLabels.Hate] = false } }).ToList());
        var bySource = train.GroupBy(r => r.Source ?? "").ToDictionary(g => g.Key, g => g.Count());
        return new Result(train.Count, bySource, dropped + near, files) { DroppedAsNearDuplicate = near };
    }

    internal static string Key(string text) => TextNormalizer.Normalize(text).Text;

    internal static int Bucket(string key, int buckets)
    {
        var h = 2166136261u;
        foreach (var c in key) h = (h ^ c) * 16777619u;
        return (int)(h % (uint)buckets);
    }
}
