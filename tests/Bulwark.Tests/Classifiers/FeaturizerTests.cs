using Bulwark.Core.Signals.Classifiers;

namespace Bulwark.Tests.Classifiers;

public class FeaturizerTests
{
    private static readonly TextFeaturizer Featurizer = new(new FeatureOptions());

    private static (int[] Indices, float[] Values) Features(string? text)
    {
        var v = new TextFeaturizer.Vector();
        Featurizer.Featurize(text, v);
        return (v.IndexSpan.ToArray(), v.ValueSpan.ToArray());
    }

    [Fact]
    public void Vectors_are_sorted_unique_in_range_and_unit_length()
    {
        var (idx, val) = Features("I'll shoot up the school tomorrow! Domani vado a scuola.");
        Assert.NotEmpty(idx);
        Assert.True(idx.Zip(idx.Skip(1)).All(p => p.First < p.Second));
        Assert.All(idx, i => Assert.InRange(i, 0, Featurizer.Dimension - 1));
        Assert.Equal(1.0, Math.Sqrt(val.Sum(x => (double)x * x)), 4);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("!!! ... ???")]
    public void Empty_or_punctuation_only_text_has_no_features(string? text) => Assert.Empty(Features(text).Indices);

    [Fact]
    public void Huge_and_odd_texts_do_not_throw()
    {
        Assert.NotEmpty(Features(new string('a', 1_000_000)).Indices);
        Assert.NotEmpty(Features(string.Concat(Enumerable.Repeat("\"quoted\" 'x' «y» non ", 20_000))).Indices);
        Features("\uD800 lone surrogate \uDFFF and \0 nulls");
    }

    [Fact]
    public void Featurisation_is_deterministic_and_sees_through_obfuscation()
    {
        Assert.Equal(Features("kill them all").Indices, Features("kill them all").Indices);
        Assert.Equal(Features("kill them all").Values, Features("kill them all").Values);
        Assert.Equal(Features("KILL them all").Indices, Features("k1ll them all").Indices);
    }

    [Fact]
    public void Quoted_and_negated_words_are_hashed_apart_from_plain_ones()
    {
        var plain = Features("I hate them").Indices.ToHashSet();
        var quoted = Features("\"I hate them\"").Indices.ToHashSet();
        var negated = Features("I don't hate them").Indices.ToHashSet();
        Assert.Empty(plain.Intersect(quoted));
        Assert.True(plain.Intersect(negated).Count() < plain.Count / 2);
        // Without scopes (the baseline) quoting changes nothing.
        var bow = new TextFeaturizer(FeatureOptions.BagOfWords);
        var a = new TextFeaturizer.Vector();
        var b = new TextFeaturizer.Vector();
        bow.Featurize("I hate them", a);
        bow.Featurize("\"I hate them\"", b);
        Assert.Equal(a.IndexSpan.ToArray(), b.IndexSpan.ToArray());
    }

    [Fact]
    public void Reported_speech_is_scoped_like_a_quotation_but_the_speakers_own_words_are_not()
    {
        var structured = new TextFeaturizer(FeatureOptions.Shipped);
        HashSet<int> Of(string text)
        {
            var v = new TextFeaturizer.Vector();
            structured.Featurize(text, v);
            return v.IndexSpan.ToArray().ToHashSet();
        }
        var plain = Of("women are animals");
        var reported = Of("stop calling women animals");
        var saying = Of("people keep saying women are animals");
        var own = Of("i say women are animals");
        // "animals" after a reporting verb is not the plain "animals".
        Assert.True(plain.Intersect(saying).Count() < plain.Count / 2, "reported words share most features with the plain statement");
        Assert.True(plain.Intersect(own).Count() > plain.Intersect(saying).Count());
        Assert.NotEmpty(reported);
    }

    [Fact]
    public void The_target_class_separates_protected_groups_from_you_and_from_things()
    {
        var structured = new TextFeaturizer(FeatureOptions.Shipped);
        HashSet<int> Of(string text)
        {
            var v = new TextFeaturizer.Vector();
            structured.Featurize(text, v);
            return v.IndexSpan.ToArray().ToHashSet();
        }
        // The same predicate about a protected group, about "you" and about a film: the word paired with the target differs.
        var group = Of("muslims are disgusting");
        var you = Of("you are disgusting");
        var thing = Of("that film is disgusting");
        Assert.NotEmpty(group.Except(you).Except(thing));
        Assert.NotEmpty(Of("lawyers are disgusting").Except(Of("gays are disgusting")));
        // A group named only inside a quotation does not make the text about that group: same target as a text naming nobody.
        // ("muslims" and "lawyers" have the same length, so only the target class can add to the difference.)
        var quotedDifference = Of("\"muslims\" is vile").Except(Of("\"lawyers\" is vile")).Count();
        var plainDifference = Of("muslims is vile").Except(Of("lawyers is vile")).Count();
        Assert.True(plainDifference > quotedDifference, $"plain {plainDifference}, quoted {quotedDifference}");
        // Italian works the same way.
        Assert.NotEmpty(Of("i musulmani sono schifosi").Except(Of("gli avvocati sono schifosi")));
    }

    [Theory]
    // Plain statements: what is said about the group.
    [InlineData("Muslims are wonderful neighbours.", 2, 1)]
    [InlineData("Muslims are vermin.", 2, 2)]
    [InlineData("Muslims live on my street.", 2, 0)]
    // A negator flips what follows it in the clause.
    [InlineData("Muslims are never disgusting.", 2, 1)]
    [InlineData("Women are not human.", 2, 2)]
    [InlineData("I don't hate gay people.", 2, 1)]
    [InlineData("I don't respect immigrants.", 2, 2)]
    [InlineData("There is nothing wrong with being trans.", 2, 0)]
    // Reported and quoted words are not the speaker's stance.
    [InlineData("Stop calling refugees parasites.", 0, 0)]
    [InlineData("\"Jews are rats\" is a vile thing to write.", 0, 2)]
    // Abuse of "you" and of things is negative but not about a protected group.
    [InlineData("You are disgusting.", 1, 2)]
    [InlineData("This weather is awful.", 0, 2)]
    // One missing letter still matches, in the group and in the predicate.
    [InlineData("Muslms are disgustng.", 2, 2)]
    // Italian.
    [InlineData("Gli immigrati sono meravigliosi.", 2, 1)]
    [InlineData("Gli immigrati sono feccia.", 2, 2)]
    [InlineData("Gli immigrati non sono feccia.", 2, 1)]
    [InlineData("Le donne non sono inferiori, sono persone splendide.", 2, 1)]
    [InlineData("Odio gli zingari.", 2, 2)]
    [InlineData("Non odio nessuno.", 0, 1)]
    public void Stance_is_what_the_speakers_own_words_say_with_negation_flipping_it(string text, int target, int stance)
    {
        // 0 none, 1 "you", 2 protected group; stance 0 none, 1 positive, 2 negative, 3 both.
        Assert.Equal((target, stance), new TextFeaturizer(FeatureOptions.Shipped).Describe(text));
    }

    [Theory]
    // Closed: the speaker names a protected group and says only positive things, plainly or by negating derogation.
    [InlineData("Muslims are wonderful neighbours.", true)]
    [InlineData("Muslims are never disgusting.", true)]
    [InlineData("I don't hate gay people.", true)]
    [InlineData("Gli immigrati non sono feccia.", true)]
    [InlineData("No Muslim deserves to die.", true)]
    [InlineData("Le donne non sono inferiori, sono persone splendide.", true)]
    // Open: negative or mixed stance, nobody protected named, a slur, or someone else's words.
    [InlineData("Muslims are vermin.", false)]
    [InlineData("I love how immigrants are parasites.", false)]
    [InlineData("Non odio nessuno.", false)]
    [InlineData("You are wonderful.", false)]
    [InlineData("Trannies are wonderful.", false)]
    [InlineData("Stop calling refugees parasites.", false)]
    // Pseudo-negations: a comparison or emphasis, not a denial; "non" before a group is the English prefix.
    [InlineData("Jews are nothing but rats.", false)]
    [InlineData("Immigrants are no better than vermin.", false)]
    [InlineData("Women are not only stupid but lazy.", false)]
    [InlineData("I feel nothing but hatred for Muslims.", false)]
    [InlineData("Non-white people are a plague, muslims included.", false)]
    [InlineData("Gli zingari non sono altro che parassiti.", false)]
    [InlineData("I rom non sono che feccia.", false)]
    public void The_stance_gate_is_closed_only_when_the_speaker_says_only_positive_things_about_a_named_group(string text, bool closed)
    {
        var v = new TextFeaturizer.Vector();
        new TextFeaturizer(FeatureOptions.Shipped).Featurize(text, v);
        Assert.Equal(closed, v.SpeakerOnlyPositive);
        // Never without the stance features, and reset between texts.
        var old = new TextFeaturizer(FeatureOptions.Shipped with { Stance = false });
        old.Featurize(text, v);
        Assert.False(v.SpeakerOnlyPositive);
    }

    [Fact]
    public void The_gates_strict_reading_of_negation_leaves_the_features_as_they_were()
    {
        // "nothing but" still flips for the stance features (the trained weights saw it so); only the gate reads it strictly.
        var f = new TextFeaturizer(FeatureOptions.Shipped);
        Assert.Equal((2, 1), f.Describe("Jews are nothing but rats."));
        var v = new TextFeaturizer.Vector();
        f.Featurize("Jews are nothing but rats.", v);
        Assert.False(v.SpeakerOnlyPositive);
    }

    [Fact]
    public void Misspelling_tolerance_does_not_turn_common_words_into_lexicon_words()
    {
        var f = new TextFeaturizer(FeatureOptions.Shipped);
        // "back" is "black" without its l, "best" is "beast" without its a, "heres" is "heroes" without its o.
        Assert.Equal((0, 0), f.Describe("I'll be back soon."));
        Assert.Equal((1, 1), f.Describe("You are the best."));
        Assert.Equal((0, 0), f.Describe("Heres the plan."));
        // Without the stance option a misspelt group is not a target, as in models trained before it.
        Assert.Equal(0, new TextFeaturizer(new FeatureOptions { Structure = true }).Describe("Muslms are disgustng.").Target);
    }

    [Fact]
    public void Stance_features_are_off_in_older_manifests_and_their_indices_are_known_so_a_head_can_leave_them_out()
    {
        Assert.False(new FeatureOptions().Stance);
        Assert.True(FeatureOptions.Shipped.Stance);
        var withStance = new TextFeaturizer(FeatureOptions.Shipped);
        var without = new TextFeaturizer(FeatureOptions.Shipped with { Stance = false });
        Assert.Empty(without.StanceIndices);
        var a = new TextFeaturizer.Vector();
        var b = new TextFeaturizer.Vector();
        withStance.Featurize("Muslims are wonderful.", a);
        without.Featurize("Muslims are wonderful.", b);
        var extra = a.IndexSpan.ToArray().Except(b.IndexSpan.ToArray()).ToList();
        Assert.Equal(3, extra.Count);
        Assert.All(extra, i => Assert.Contains(i, withStance.StanceIndices));
        // The glorification head of the shipped model was trained without them: its weights there are zero.
        var model = LinearTextModel.LoadDefault();
        var glorification = model.Manifest.Labels.ToList().IndexOf(ClassifierLabels.Glorification);
        var hate = model.Manifest.Labels.ToList().IndexOf(ClassifierLabels.Hate);
        Assert.All(withStance.StanceIndices, i => Assert.Equal(0f, model.Weight(glorification, i)));
        Assert.Contains(withStance.StanceIndices, i => model.Weight(hate, i) != 0f);
    }

    [Fact]
    public void Structure_is_off_unless_the_manifest_asks_for_it_so_older_models_featurise_as_trained()
    {
        Assert.False(new FeatureOptions().Structure);
        Assert.True(FeatureOptions.Shipped.Structure);
        var old = new TextFeaturizer(new FeatureOptions());
        var a = new TextFeaturizer.Vector();
        var b = new TextFeaturizer.Vector();
        old.Featurize("stop calling women animals", a);
        new TextFeaturizer(FeatureOptions.Shipped).Featurize("stop calling women animals", b);
        Assert.True(b.Count > a.Count);
        Assert.True(LinearTextModel.LoadDefault().Manifest.Features.Structure);
    }
}
