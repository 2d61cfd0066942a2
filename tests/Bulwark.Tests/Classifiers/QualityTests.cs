using Bulwark.Core.Signals.Classifiers;
using Bulwark.Core.Signals.Classifiers.Training;
using Bulwark.Matching.Text;

namespace Bulwark.Tests.Classifiers;

/// <summary>
/// The shipped model on the public evaluation sets (docs/model-card.md has the full figures). Floors of issue 7 that the
/// model meets are asserted as they stand; the one it does not yet meet (negate_neg_nh) is guarded at the current level so
/// that a regression fails, and is listed in the model card as open.
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
        var f = report.Functionalities!;

        // Issue floors that hold.
        Assert.True(f["threat_dir_h"] >= 0.90, $"threat_dir_h recall {f["threat_dir_h"]:P1} < 90 %");
        Assert.True(f["threat_norm_h"] >= 0.90, $"threat_norm_h recall {f["threat_norm_h"]:P1} < 90 %");
        foreach (var met in new[] { "counter_quote_nh", "counter_ref_nh", "profanity_nh", "target_obj_nh", "target_group_nh", "target_indiv_nh" })
            Assert.True(f[met] >= 0.80, $"{met} {f[met]:P1} < 80 %");
        Assert.True(report.OverallAccuracy >= 0.778, $"overall {report.OverallAccuracy:P1} < 77.8 % (Perspective)");

        // Not yet at the issue floor (80 %): a regression guard at the shipped model's level, listed in docs/model-card.md as open.
        Assert.True(f["negate_neg_nh"] >= 0.72, $"negate_neg_nh {f["negate_neg_nh"]:P1}");
        var contrast = ClassifierEvaluator.ContrastFunctionalities.Average(x => f[x]);
        Assert.True(contrast >= 0.84, $"mean contrast accuracy {contrast:P1}");
        // The model must beat its bag-of-words baseline where the scopes and target features are meant to help.
        foreach (var x in new[] { "counter_quote_nh", "counter_ref_nh", "negate_neg_nh", "target_obj_nh", "target_indiv_nh", "target_group_nh" })
            Assert.True(f[x] > report.Baseline!.Functionalities![x], $"{x}: model {f[x]:P1}, baseline {report.Baseline.Functionalities[x]:P1}");
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
