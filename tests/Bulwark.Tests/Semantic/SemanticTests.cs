using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Policy;
using Bulwark.Core.Policy.Enforcement;
using Bulwark.Core.Policy.Rules;
using Bulwark.Core.Signals;
using Bulwark.Core.Signals.Semantic;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.Time.Testing;

namespace Bulwark.Tests.Semantic;

/// <summary>The sentence-meaning detector: the shipped head, the extractor's gates and budget, the rule, and training.</summary>
public class SemanticTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    private static async Task<PipelineContext> Run(SemanticExtractor extractor, string text, string lang = "en", params Signal[] earlier)
    {
        var context = new PipelineContext(1, "c1", 1, new ContentEvent { Id = "c1", Kind = "comment", Text = text, Language = lang });
        context.Signals.AddRange(earlier);
        var result = await extractor.ExtractAsync(context, default);
        Assert.True(result.Ok);
        return context;
    }

    private static SemanticExtractor Make(int perSecond = 0, FakeTimeProvider? clock = null) =>
        new(new SemanticOptions { Enabled = true, MaxPerSecond = perSecond, MinRecordedScore = 0 }, clock ?? new FakeTimeProvider(Start));

    [Fact]
    public void The_shipped_head_matches_the_encoder_and_was_trained_on_development_sets_only()
    {
        var head = SemanticHead.Shipped;
        Assert.Equal(SentenceEmbedder.Dimension, head.Weights.Length);
        Assert.InRange(head.Threshold, 0.05, 0.99);
        Assert.Equal(SentenceEmbedder.ModelName, head.Encoder);
        Assert.NotEmpty(head.TrainedOn);
        Assert.All(head.TrainedOn, t => Assert.DoesNotContain("frozen", t, StringComparison.OrdinalIgnoreCase));
        Assert.All(head.TrainedOn, t => Assert.DoesNotContain("dev3b", t, StringComparison.OrdinalIgnoreCase));
        Assert.Contains(head.TrainedOn, t => t.StartsWith("dev3a-en.csv", StringComparison.Ordinal));
        // Since 1.1.0: ordinary tweets as negatives (Davidson's "neither"), from the training share only.
        Assert.Contains(head.TrainedOn, t => t.StartsWith("davidson_hate_offensive_en", StringComparison.Ordinal) && t.Contains("'neither'", StringComparison.Ordinal));
    }

    [Fact]
    public void Embeddings_are_unit_vectors_and_the_same_text_gives_the_same_vector()
    {
        var a = SentenceEmbedder.Embed("the ferry to the island leaves at nine");
        var b = SentenceEmbedder.Embed("the ferry to the island leaves at nine");
        Assert.Equal(a, b);
        Assert.InRange(Math.Sqrt(a.Sum(v => (double)v * v)), 0.999, 1.001);
    }

    [Fact]
    public async Task A_threat_in_words_no_pattern_lists_fires_and_an_ordinary_sentence_does_not()
    {
        var extractor = Make();
        // Head 1.1.0 scores this at 0.77 (threshold 0.668). "Tonight I am coming to your house and you will not wake up
        // tomorrow.", the example for 1.0.0, now scores 0.61: the recall the neutral negatives cost (docs/semantic.md).
        var threat = await Run(extractor, "Someone is going to pay you a visit tonight and you will not walk again.");
        var s = Assert.Single(threat.Signals);
        Assert.Equal(SemanticSignalTypes.Violent, s.Type);
        Assert.Contains("fired", s.Labels!);
        Assert.Equal(["field:comment", $"model:{SemanticHead.Shipped.Tag}", "fired"], s.Labels);
        Assert.Contains("sentence-meaning model", s.Explanation);

        var quiet = await Run(extractor, "Thanks for the recipe, the soup turned out great.");
        Assert.DoesNotContain(quiet.Signals, x => x.Labels!.Contains("fired"));
        // Ordinary talk naming a place, which head 1.0.0 fired on (0.71).
        var place = await Run(extractor, "Does anyone know a good bike shop near the station?");
        Assert.DoesNotContain(place.Signals, x => x.Labels!.Contains("fired"));
    }

    [Fact]
    public async Task It_is_off_unless_switched_on()
    {
        Assert.False(new SemanticOptions().Enabled);
        var off = new SemanticExtractor(new SemanticOptions(), new FakeTimeProvider(Start));
        Assert.Empty((await Run(off, "Tonight I am coming to your house and you will not wake up tomorrow.")).Signals);
    }

    [Fact]
    public async Task Short_texts_and_items_already_found_by_the_analyser_are_not_embedded()
    {
        var extractor = Make();
        Assert.Empty((await Run(extractor, "kill them")).Signals);
        var found = new Signal("speech.threat", "violent-speech", "…", Value: "text", Score: 0.9, Labels: ["fired"]);
        var ctx = await Run(extractor, "Tonight I am coming to your house and you will not wake up tomorrow.", "en", found);
        Assert.Equal([found], ctx.Signals);
    }

    [Fact]
    public async Task The_budget_bounds_texts_per_second_and_refills_with_the_clock()
    {
        var clock = new FakeTimeProvider(Start);
        var extractor = Make(perSecond: 2, clock);
        const string text = "Tonight I am coming to your house and you will not wake up tomorrow.";
        Assert.NotEmpty((await Run(extractor, text)).Signals);
        Assert.NotEmpty((await Run(extractor, text)).Signals);
        Assert.Empty((await Run(extractor, text)).Signals);
        Assert.Equal(1, extractor.SkippedForBudget);
        clock.Advance(TimeSpan.FromSeconds(0.5));
        Assert.NotEmpty((await Run(extractor, text)).Signals);
        Assert.Empty((await Run(extractor, text)).Signals);
        Assert.Equal(2, extractor.SkippedForBudget);
    }

    [Fact]
    public void The_shipped_rules_read_the_signal_and_the_model_alone_only_ever_reviews()
    {
        var rules = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "policy", "rules", "semantic.rules"));
        Assert.Contains("any semantic.violent[label \"fired\"]", rules);
        Assert.True(SignalSchema.Default.HasType(SemanticSignalTypes.Violent));

        var alone = Decide([Semantic(0.9)]);
        Assert.Equal((Outcomes.Review, "threat", "normal"), (alone.Outcome, alone.Queue, alone.Priority));
        Assert.Empty(alone.Actions);
        // Below the head's threshold it does nothing, and with a time or a place it still only reviews.
        Assert.Equal(Outcomes.NoAction, Decide([Semantic(0.5, fired: false)]).Outcome);
        var withPlace = Decide([Semantic(0.9), TimePlace()]);
        Assert.Equal((Outcomes.Review, "normal"), (withPlace.Outcome, withPlace.Priority));
        Assert.Empty(withPlace.Actions);
        // The n-gram model agreeing is not counted (both fire on the same idioms and games).
        var ngram = Decide([Semantic(0.9), TimePlace(), new Signal("classifier.threat", "text-classifier:m@1", "text: threat 0.85", Value: "text", Score: 0.85, Labels: ["field:text"])]);
        Assert.Equal((Outcomes.Review, "normal"), (ngram.Outcome, ngram.Priority));
    }

    [Fact]
    public void When_the_analyser_agrees_the_rules_act_with_more_confidence_and_name_both_detectors()
    {
        // Agreement without a time or place: reviewed first.
        var agree = Decide([Semantic(0.9), Speech("speech.threat", 0.4)]);
        Assert.Equal((Outcomes.Review, "threat", "high"), (agree.Outcome, agree.Queue, agree.Priority));
        Assert.Contains("semantic-agrees", agree.Rules);
        Assert.Empty(agree.Actions);
        var fired = Assert.Single(agree.Fired, f => f.Rule == "semantic-agrees");
        Assert.Contains(fired.Inputs, i => i.StartsWith("semantic.violent", StringComparison.Ordinal));
        Assert.Contains(fired.Inputs, i => i.StartsWith("speech.threat", StringComparison.Ordinal));
        // Praise found by the analyser agrees too.
        Assert.Equal("high", Decide([Semantic(0.9), Speech("speech.glorification", 0.35)]).Priority);

        // With a time or place and an analyser finding at its review level: restricted at once and escalated.
        foreach (var (speech, context) in new (Signal, Signal[])[]
                 {
                     (Speech("speech.threat", 0.6), [TimePlace()]),
                     (Speech("speech.incitement", 0.55, "place"), []),
                 })
        {
            var d = Decide([Semantic(0.9), speech, .. context]);
            Assert.Equal((Outcomes.Escalate, "high"), (d.Outcome, d.Priority));
            Assert.Contains("semantic-agrees-time-place", d.Rules);
            Assert.Contains(d.Actions, a => a.Kind == "content.remove");
        }

        // Either detector alone below those levels does not escalate.
        Assert.NotEqual(Outcomes.Escalate, Decide([Semantic(0.9), Speech("speech.threat", 0.45), TimePlace()]).Outcome);
        Assert.NotEqual(Outcomes.Escalate, Decide([Semantic(0.5, fired: false), Speech("speech.threat", 0.6), TimePlace()]).Outcome);
    }

    private static Decision Decide(IReadOnlyList<Signal> signals)
    {
        var set = RuleSet.Shipped();
        var input = new RuleInput(signals, "comment", "en", "IT", "upload", 0, AccountFacts.None);
        var hits = new List<RuleHit>();
        set.Evaluate(input, hits);
        return DecisionBuilder.Build(set, hits, input, "c1", "acct-1", new EnforcementOptions());
    }

    private static Signal Semantic(double score, bool fired = true) =>
        new(SemanticSignalTypes.Violent, "semantic", $"comment: {score} by the sentence-meaning model", Value: "comment", Score: score,
            Labels: ["field:comment", $"model:{SemanticHead.Shipped.Tag}", fired ? "fired" : "below-threshold"]);

    private static Signal Speech(string type, double score, params string[] extra) =>
        new(type, "violent-speech", $"{type} {score}", Value: "comment", Score: score, Labels: ["field:comment", "lang:en", .. extra]);

    private static Signal TimePlace() =>
        new("text.time_place", "time-place", "text names a time: \"tomorrow\"", Value: "tomorrow", Labels: ["time", "field:comment"]);

    [Fact]
    public void The_neutral_negatives_are_read_in_place_deterministically_and_hold_out_a_fifth_for_the_check()
    {
        var text = Bulwark.Testing.TestData.Root is { } root ? Path.Combine(root, "text") : null;
        Assert.SkipWhen(text is null || !File.Exists(Path.Combine(text, "davidson_hate_offensive_en", "labeled_data.csv")), "shared test data (Davidson) not found");
        var (train, held, record) = SemanticNegatives.ReadDavidsonNeither(text!, 0.05f, 1);
        Assert.All(train, r => Assert.Equal((false, 0.05f, "davidson-neither"), (r.Violating, r.Weight, r.Source)));
        Assert.InRange(held.Count / (double)(held.Count + train.Count), 0.15, 0.25);
        Assert.Empty(train.Select(r => r.Text).Intersect(held));
        Assert.Contains($"{train.Count} 'neither' tweets", record);
        Assert.Equal(train, SemanticNegatives.ReadDavidsonNeither(text!, 0.05f, 1).Train);
        Assert.Equal(train.Where((_, i) => i % 4 == 0), SemanticNegatives.ReadDavidsonNeither(text!, 0.05f, 4).Train);

        var (generated, _) = SemanticNegatives.ReadGeneratedBenign(text!, 0.1f, 10);
        Assert.NotEmpty(generated);
        Assert.All(generated, r => Assert.False(r.Violating));
        Assert.Contains(generated, r => r.Source == "generated-benign-it");
        Assert.Contains(generated, r => r.Source == "generated-benign-en");
        Assert.Throws<FileNotFoundException>(() => SemanticNegatives.ReadDavidsonNeither(Path.Combine(text!, "nowhere"), 1f, 1));
    }

    [Fact]
    public void Training_is_deterministic_and_refuses_one_sided_data()
    {
        var rows = new List<SemanticRow>
        {
            new("I will find you and hurt you badly", true, 1f, "t"), new("we should burn their houses down tonight", true, 1f, "t"),
            new("you are going to regret this when I get there", true, 1f, "t"), new("they deserve to be shot, every one of them", true, 1f, "t"),
            new("the soup needs more salt and pepper", false, 1f, "t"), new("see you at practice on thursday", false, 1f, "t"),
            new("this film was long but worth it", false, 1f, "t"), new("my cat knocked the plant over again", false, 1f, "t"),
            new("the league table looks tight this year", false, 1f, "t"), new("I'm going to murder this pizza", false, 0.5f, "t"),
        };
        var a = SemanticHeadTrainer.Train(rows, "t", "0.0.1", ["test"]).ToJson();
        var b = SemanticHeadTrainer.Train(rows, "t", "0.0.1", ["test"]).ToJson();
        Assert.Equal(a, b);
        Assert.Throws<ArgumentException>(() => SemanticHeadTrainer.Train(rows.Where(r => !r.Violating).ToList(), "t", "0.0.1", []));
    }

    [Property(MaxTest = 300)]
    public Property The_threshold_flags_at_most_the_target_share_of_benign_scores() =>
        Prop.ForAll(Gen.Choose(0, 10_000).Select(i => i / 10_000.0).ListOf().Where(l => l.Count > 0).ToArbitrary(), scores =>
        {
            var t = SemanticHeadTrainer.ChooseThreshold(scores);
            var flagged = scores.Count(s => s >= t);
            return flagged <= Math.Floor(SemanticHeadTrainer.TargetBenignRate * scores.Count) || t >= 0.99;
        });

    [Fact]
    public void A_head_file_of_the_wrong_shape_is_refused_with_the_reason()
    {
        var e = Assert.Throws<InvalidDataException>(() => SemanticHead.FromJson("""{"id":"x","version":"1","weights":[1,2],"bias":0,"threshold":0.5}""", "head.json"));
        Assert.Contains("2 weights, expected 384", e.Message);
        Assert.Throws<InvalidDataException>(() => SemanticHead.FromJson("not json", "head.json"));
    }
}
