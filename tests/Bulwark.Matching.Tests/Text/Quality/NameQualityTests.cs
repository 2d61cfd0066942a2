namespace Bulwark.Matching.Tests.Text.Quality;

/// <summary>
/// Quality floors on the UN list (definitions in <see cref="NameQualityHarness"/>; figures in docs/matching-notes-text.md),
/// at the recommended screening threshold 0.94 with default <c>NameMatcherOptions</c>. Contract targets: recall ≥ 99 %,
/// obfuscated recall ≥ 98 %, false matches ≤ 0.5 % — met when names another record also carries verbatim are not
/// counted as negatives (29 queries; they alone give the exact-lookup baseline 0.45 %); over all queries the false-match
/// rate is 0.80 %, asserted as a regression floor. Raise the floors as the matcher improves; never lower them.
/// </summary>
public class NameQualityTests
{
    public const double Threshold = 0.94;

    [Fact]
    public void Un_list_recall_and_false_matches_meet_floors()
    {
        var variants = UnNameVariant.Load(TestData.Path("sanctions", "un", "un_sc_name_variants_2025-11-20.csv"));
        var report = NameQualityHarness.Evaluate(variants, Threshold);
        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine(report.ToString());
        foreach (var miss in report.Misses.Take(40)) output?.WriteLine("miss " + miss);

        Assert.True(report.Recall >= 0.998, report.ToString());
        Assert.True(report.ObfuscatedRecall >= 0.99, report.ToString());
        Assert.True(report.UnsharedFalseMatchRate <= 0.005, report.ToString());
        Assert.True(report.UnsharedObfuscatedFalseMatchRate <= 0.005, report.ToString());
        Assert.True(report.FalseMatchRate <= 0.0085, report.ToString());
        Assert.True(report.ObfuscatedFalseMatchRate <= 0.0085, report.ToString());
    }
}
