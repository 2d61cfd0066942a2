using Bulwark.Core.Reports.Transparency;
using FsCheck;
using FsCheck.Fluent;

namespace Bulwark.Tests.Reports.Transparency;

public class DetectorAccuracyTests
{
    [Fact]
    public void Wilson_intervals_match_published_values_and_few_samples_are_never_a_rate()
    {
        // 8 of 10: 0.4902–0.9433 (Newcombe 1998, method 3); 0 of 20: 0–0.1611.
        var (low, high) = DetectorAccuracy.Wilson(8, 10);
        Assert.Equal((0.4902, 0.9433), (Math.Round(low, 4), Math.Round(high, 4)));
        var (zl, zh) = DetectorAccuracy.Wilson(0, 20);
        Assert.Equal((0.0, 0.1611), (Math.Round(zl, 4), Math.Round(zh, 4)));

        var few = DetectorAccuracy.Of("known-content", 3, 3, minSamples: 30);
        Assert.False(few.Enough);
        Assert.Null(few.Rate);
        var enough = DetectorAccuracy.Of("known-content", 40, 40, minSamples: 30);
        Assert.True(enough.Enough);
        Assert.Equal(1.0, enough.Rate);
        Assert.True(enough.Low < 0.92, "a perfect sample of 40 still has a lower bound well below 100 %");
    }

    [Fact]
    public void The_interval_always_holds_the_observed_rate() =>
        Prop.ForAll(Gen.Choose(1, 5000).SelectMany(n => Gen.Choose(0, n).Select(k => (n, k))).ToArbitrary(), t =>
        {
            var (low, high) = DetectorAccuracy.Wilson(t.k, t.n);
            var p = (double)t.k / t.n;
            return low >= 0 && high <= 1 && low <= p + 1e-12 && p <= high + 1e-12;
        }).QuickCheckThrowOnFailure();
}
