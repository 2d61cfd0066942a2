using Bulwark.Core.Pipeline;
using Bulwark.Core.Policy;
using Bulwark.Core.Policy.Enforcement;
using Bulwark.Core.Policy.Rules;
using Bulwark.Core.Signals.Classifiers;
using Bulwark.Core.Signals.ViolentSpeech;
using Bulwark.Tests.Classifiers;

namespace Bulwark.Tests.Policy;

/// <summary>
/// Regression floors on the frozen realistic sets (eval/text, issue 15): what the text stage and the shipped rules decide. The
/// floors sit just under the figures recorded in docs/model-card.md, measured once after all tuning had stopped; they guard
/// against a change that loses what the detectors catch today, and are not targets (issue 15's are 95 % and 3 %).
/// </summary>
public class FrozenSetFloorTests
{
    private static readonly ISignalExtractor[] TextStage =
    [
        new TextClassifierExtractor(ClassifierRegistry.FromOptions(new ClassifierOptions()), new ClassifierOptions()),
        new ViolentSpeechExtractor(new ViolentSpeechOptions()),
        new TimePlaceExtractor(),
    ];

    [Theory]
    // file, violating caught at least, benign sent anywhere at most, time/place threats escalated at least
    [InlineData("frozen-en.csv", 0.56, 0.03, 0.58)]
    [InlineData("frozen-it.csv", 0.59, 0.06, 0.56)]
    // The third hand-written sets (eval/text/README.md): dev3a was developed on, dev3b held out by the round that wrote them.
    [InlineData("dev3a-en.csv", 0.46, 0.02, 0.29)]
    [InlineData("dev3a-it.csv", 0.69, 0.04, 0.76)]
    [InlineData("dev3b-en.csv", 0.45, 0.02, 0.44)]
    [InlineData("dev3b-it.csv", 0.53, 0.06, 0.66)]
    // The fourth sets, written in online register by an engineer who did not build the detectors, run once (session 4):
    // caught 45/156 and 65/157, benign sent anywhere 5/156 and 12/157, time/place threats escalated 7/38 and 7/38.
    [InlineData("frozen4-en.csv", 0.28, 0.035, 0.18)]
    [InlineData("frozen4-it.csv", 0.41, 0.08, 0.18)]
    public async Task The_text_stage_and_shipped_rules_keep_their_recorded_figures_on_the_frozen_sets(string file, double caught, double benign, double escalated)
    {
        var items = TextStageEvaluator.Read(EvaluationSetTests.PathOf(file));
        var report = await TextStageEvaluator.EvaluateAsync(items, TextStage, RuleSet.Shipped(), new EnforcementOptions(), file);
        var violating = Assert.Single(report.Groups, g => g.Label == TextStageEvaluator.Violating && g.Class == "*");
        var harmless = Assert.Single(report.Groups, g => g.Label == TextStageEvaluator.Benign && g.Class == "*");
        var timePlace = Assert.Single(report.Groups, g => g.Label == TextStageEvaluator.Violating && g.Class == "threat-time-place");
        Assert.True(violating.Caught!.Value >= caught, $"{file}: violating caught {violating.Caught} (floor {caught:P0})");
        Assert.True(harmless.SentAnywhere!.Value <= benign, $"{file}: benign sent anywhere {harmless.SentAnywhere} (ceiling {benign:P1})");
        Assert.True((double)timePlace.Escalated / timePlace.Items >= escalated, $"{file}: time/place threats escalated {timePlace.Escalated} of {timePlace.Items} (floor {escalated:P0})");
    }
}
