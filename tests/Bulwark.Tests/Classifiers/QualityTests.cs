using Bulwark.Core.Signals.Classifiers;
using Bulwark.Core.Signals.Classifiers.Training;
using Bulwark.Matching.Text;

namespace Bulwark.Tests.Classifiers;

/// <summary>
/// The shipped model on the public evaluation sets (docs/model-card.md has the full figures). Every floor of issue 7 is
/// asserted, and a few levels the model card reports are guarded so that a regression fails.
/// </summary>
public class QualityTests(ITestOutputHelper output)
{
    private static readonly LinearTextModel Model = LinearTextModel.LoadDefault();
    private static readonly LinearTextModel Baseline = LinearTextModel.LoadDefaultBaseline();

    [Fact]
    public void HateCheck_english_threat_recall_and_contrast_accuracy()
    {
        var rows = LabelledText.ReadFile(TestData.Path("text", "hatecheck_en", "test_suite_cases.csv"));
        var report = ClassifierEvaluator.Evaluate(Model, rows, "hatecheck_en") with { Baseline = ClassifierEvaluator.Evaluate(Baseline, rows, "hatecheck_en") };
        output.WriteLine(ClassifierEvaluator.Format(report));
        var f = new Dictionary<string, double>(report.Functionalities!);

        // Threats against individuals and non-protected groups are non-hateful in HateCheck but violate Bulwark's VE-THREAT
        // policy ("Friday I will stab the teacher"), and since 1.4.0 the threat head catches more of them on purpose. For these two
        // functionalities the floor is therefore read as HateCheck means it: the hate and glorification heads must not fire; the
        // threat head's share is guarded separately (docs/model-card.md, "By design, threats fire against anyone").
        foreach (var x in new[] { "target_indiv_nh", "target_group_nh" })
        {
            var cases = rows.Where(r => r.Functionality == x).ToList();
            f[x] = cases.Count(r => !FiresBesidesThreat(r.Text)) / (double)cases.Count;
            var threatShare = report.FunctionalityHeadShares![x][ClassifierLabels.Threat];
            output.WriteLine($"{x}: {f[x]:P1} without the threat head; the threat head fires on {threatShare:P1}");
            Assert.True(threatShare <= 0.25, $"{x}: the threat head fires on {threatShare:P1}");
        }

        // The issue's floors.
        AssertIssueFloors(f);
        Assert.Equal(9, ClassifierEvaluator.ThreatFunctionalities.Concat(ClassifierEvaluator.ContrastFunctionalities).Count(f.ContainsKey));
        Assert.True(report.OverallAccuracy >= 0.778, $"overall {report.OverallAccuracy:P1} < 77.8 % (Perspective)");
        // Issue 15 asks ≥ 97 % on both threat functionalities; 1.4.0 reaches it on threat_dir_h (99.2 %), not on threat_norm_h
        // (96.4 %). Guarded at the level reached so it cannot fall back.
        Assert.True(f["threat_dir_h"] >= 0.97, $"threat_dir_h {f["threat_dir_h"]:P1}");
        Assert.True(f["threat_norm_h"] >= 0.95, $"threat_norm_h {f["threat_norm_h"]:P1}");
        Assert.True(report.OverallAccuracy >= 0.795, $"overall {report.OverallAccuracy:P1} (1.4.0: 80.0 %)");

        // Guards at the shipped model's level (1.3.0), not issue floors: the hate head's stance gate raised these, and the
        // hateful functionalities it could wrongly silence (dehumanisation hides behind "nothing but …") must not fall back.
        var contrast = ClassifierEvaluator.ContrastFunctionalities.Average(x => f[x]);
        Assert.True(contrast >= 0.85, $"mean contrast accuracy {contrast:P1}");
        Assert.True(f["ident_pos_nh"] >= 0.55, $"ident_pos_nh {f["ident_pos_nh"]:P1}");
        Assert.True(f["derog_dehum_h"] >= 0.95, $"derog_dehum_h {f["derog_dehum_h"]:P1}");
        Assert.True(f["negate_pos_h"] >= 0.78, $"negate_pos_h {f["negate_pos_h"]:P1}");
        // The model must beat its bag-of-words baseline where the scopes and target features are meant to help.
        foreach (var x in new[] { "counter_quote_nh", "counter_ref_nh", "negate_neg_nh", "target_obj_nh", "target_indiv_nh", "target_group_nh" })
            Assert.True(report.Functionalities![x] > report.Baseline!.Functionalities![x], $"{x}: model {report.Functionalities[x]:P1}, baseline {report.Baseline.Functionalities[x]:P1}");
    }

    /// <summary>Whether the hate or glorification head fires on a text, scored as the pipeline scores it.</summary>
    private static bool FiresBesidesThreat(string text)
    {
        var p = WindowedScoring.Score(Model, text).Probabilities;
        return Model.Manifest.Heads.Select((h, i) => h.Label != ClassifierLabels.Threat && p[i] >= h.Threshold).Any(x => x);
    }

    /// <summary>Threat recall ≥ 90 % and contrast accuracy ≥ 80 %, for every one of those functionalities the file has.</summary>
    private static void AssertIssueFloors(IReadOnlyDictionary<string, double> f)
    {
        foreach (var x in ClassifierEvaluator.ThreatFunctionalities.Where(f.ContainsKey))
            Assert.True(f[x] >= 0.90, $"{x} recall {f[x]:P1} < 90 %");
        foreach (var x in ClassifierEvaluator.ContrastFunctionalities.Where(f.ContainsKey))
            Assert.True(f[x] >= 0.80, $"{x} {f[x]:P1} < 80 %");
    }

    /// <summary>
    /// Issue 7's Italian measurement: the same floors on held-out Italian functional tests that are not in this repository
    /// (for example Multilingual HateCheck's Italian file, Röttger et al. 2022, whose columns HateCheck's reader takes as they
    /// are). It runs when the file is at <c>text/hatecheck_it/test_suite_cases.csv</c> in the test data or named by
    /// BULWARK_HATECHECK_IT, and skips saying so otherwise.
    /// </summary>
    [Fact]
    public void HateCheck_italian_held_out_threat_recall_and_contrast_accuracy()
    {
        var path = Environment.GetEnvironmentVariable("BULWARK_HATECHECK_IT") is { Length: > 0 } env ? env
            : TestData.Root is { } root ? Path.Combine(root, "text", "hatecheck_it", "test_suite_cases.csv") : null;
        Assert.SkipWhen(path is null || !File.Exists(path),
            "Italian held-out functional tests not found: set BULWARK_HATECHECK_IT to a HateCheck-format CSV (e.g. Multilingual HateCheck's Italian file) or place it at text/hatecheck_it/test_suite_cases.csv in the test data.");
        var rows = LabelledText.ReadFile(path!);
        var report = ClassifierEvaluator.Evaluate(Model, rows, "hatecheck_it") with { Baseline = ClassifierEvaluator.Evaluate(Baseline, rows, "hatecheck_it") };
        output.WriteLine(ClassifierEvaluator.Format(report));
        Assert.NotNull(report.Functionalities);
        Assert.Contains(ClassifierEvaluator.ThreatFunctionalities, report.Functionalities!.ContainsKey);
        AssertIssueFloors(report.Functionalities!);
    }

    [Fact]
    public void No_training_sentence_is_a_HateCheck_case()
    {
        var cases = LabelledText.ReadFile(TestData.Path("text", "hatecheck_en", "test_suite_cases.csv"))
            .Select(r => TextNormalizer.Normalize(r.Text).Text).ToHashSet(StringComparer.Ordinal);
        var dir = Path.Combine(Path.GetTempPath(), "bulwark-data-" + Guid.NewGuid().ToString("N"));
        TrainingDataBuilder.Build(TestData.Path("text"), dir);
        var train = LabelledText.ReadFile(Path.Combine(dir, "train.csv"));
        Assert.DoesNotContain(train, r => cases.Contains(TextNormalizer.Normalize(r.Text).Text));
        // Nor a near-duplicate: the same frame with a word or two changed.
        var near = new NearDuplicateIndex(LabelledText.ReadFile(TestData.Path("text", "hatecheck_en", "test_suite_cases.csv")).Select(r => r.Text));
        Assert.DoesNotContain(train.Where(r => r.Source is "synthetic" or "synthetic-noisy"), r => near.Similarity(r.Text) >= TrainingDataBuilder.NearDuplicateJaccard);
        Assert.DoesNotContain(train, r => r.Source is "stormfront" or "isis-fanboy");
    }

    [Fact]
    public void Isis_supporter_accounts_held_out_and_false_positives_on_neutral_text()
    {
        var dir = Path.Combine(Path.GetTempPath(), "bulwark-data-" + Guid.NewGuid().ToString("N"));
        TestData.Path("text", "isis_fanboy_tweets_fifthtribe", "tweets.csv");
        TrainingDataBuilder.Build(TestData.Path("text"), dir);

        var isis = LabelledText.ReadFile(Path.Combine(dir, "eval-isis-heldout-accounts.csv"));
        var isisReport = ClassifierEvaluator.Evaluate(Model, isis, "isis held-out accounts") with { Baseline = ClassifierEvaluator.Evaluate(Baseline, isis, "isis") };
        output.WriteLine(ClassifierEvaluator.Format(isisReport));
        var flagged = isisReport.Labels.Single(l => l.Label == ClassifierLabels.Glorification).FlaggedShare;
        // A lower bound on what a moderator would act on (most of these tweets are news and chatter), guarded at 1.1.0's and
        // 1.2.0's level: a candidate model that flagged none of them was rejected (docs/model-card.md).
        Assert.True(flagged >= 0.005, $"glorification flags {flagged:P2} of the held-out supporter accounts' tweets");

        var neutral = LabelledText.ReadFile(Path.Combine(dir, "eval-neutral.csv"));
        var neutralReport = ClassifierEvaluator.Evaluate(Model, neutral, "neutral") with { Baseline = ClassifierEvaluator.Evaluate(Baseline, neutral, "neutral") };
        output.WriteLine(ClassifierEvaluator.Format(neutralReport));
        var glorificationFp = neutralReport.Labels.Single(l => l.Label == ClassifierLabels.Glorification).FlaggedShare;
        var threatFp = neutralReport.Labels.Single(l => l.Label == ClassifierLabels.Threat).FlaggedShare;
        Assert.True(glorificationFp <= 0.01, $"glorification fires on {glorificationFp:P2} of neutral text");
        Assert.True(threatFp <= 0.02, $"threat fires on {threatFp:P2} of neutral text");
        Assert.True(neutralReport.AnyLabelFlaggedBySource!["davidson-neither"] <= 0.08);
    }
}
