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
